import { startFaultProxy, startMemcached } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import { Client, ClosedError, TimeoutError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('never lets a timed-out set land after a later acknowledged delete of the same key (stalled server thread)', async () => {
    const memcached = await startMemcached({ args: ['-t', '4'] });
    const proxy = await startFaultProxy(memcached);
    const client = new Client(proxy.address, { socketTimeout: 2, protocol });
    await client.set('session', 'logged in');
    // The connection's server thread stalls: the set sits in its socket buffer and times out.
    proxy.holdOpenConnections();
    await expect(client.set('session', 'logged in, updated', 0, { timeout: 0.1 })).rejects.toBeInstanceOf(TimeoutError);
    // Other threads still serve: the delete can go on a new connection and be acknowledged...
    const destroyed = client.delete('session');
    await sleep(50);
    // ...then the stalled thread resumes and applies the set it was holding.
    proxy.releaseHeld();
    await destroyed;
    await sleep(50);
    // The delete, acknowledged after the set was issued, must be what remains.
    expect(await client.get('session')).toBeUndefined();
    await client.close();
    await proxy.close();
    await memcached.stop();
  });

  it('holds a delete behind a timed-out set until that connection closes; a middlebox that delivers the set after closing can still land it (the documented limit)', async () => {
    const memcached = await startMemcached();
    const proxy = await startFaultProxy(memcached);
    const client = new Client(proxy.address, { socketTimeout: 2, protocol });
    await client.set('session', 'logged in');
    proxy.holdOpenConnections();
    await expect(client.set('session', 'stale', 0, { timeout: 0.1 })).rejects.toBeInstanceOf(TimeoutError);
    let acknowledged = false;
    const destroyed = client.delete('session').then((deleted) => {
      acknowledged = true;
      return deleted;
    });
    await sleep(50);
    // Guaranteed: while the connection that carried the set is open and unanswered, the delete waits, unsent.
    expect([acknowledged, proxy.accepted]).toEqual([false, 1]);
    // The middlebox closes the client's side but still holds the set towards the server.
    proxy.resetAll();
    expect(await destroyed).toBe(true);
    expect(proxy.accepted).toBe(2);
    // Then it delivers the set: nothing on the client's side can order it after the delete.
    proxy.releaseHeld();
    await expect.poll(() => client.get('session')).toBe('stale');
    await client.close();
    await proxy.close();
    await memcached.stop();
  });

  it('fails a write held behind a timed-out write of its key with a TimeoutError once its own timeout passes', async () => {
    const memcached = await startMemcached();
    const client = new Client(memcached.address, { socketTimeout: 2, protocol });
    await client.set('k', 'v');
    await memcached.freeze();
    await expect(client.set('k', 'late', 0, { timeout: 0.1 })).rejects.toBeInstanceOf(TimeoutError);
    const held = await client.delete('k', { timeout: 0.1 }).catch((e: unknown) => e);
    expect(held).toBeInstanceOf(TimeoutError);
    expect((held as Error).message).toMatch(/an earlier write of this key timed out and its outcome is still unknown/);
    // Other keys are not held.
    const other = client.set('other', 1, 0, { timeout: 3 });
    await memcached.thaw();
    expect(await other).toBe(true);
    // Once the stalled connection's reply arrived, the key takes writes again.
    expect(await client.delete('k')).toBe(true);
    await client.close();
    await memcached.stop();
  });

  it('fails a write held behind a timed-out write with a ClosedError when the client closes, sending nothing', async () => {
    const memcached = await startMemcached();
    const proxy = await startFaultProxy(memcached);
    const client = new Client(proxy.address, { socketTimeout: 2, protocol });
    await client.set('k', 'v');
    proxy.holdOpenConnections();
    await expect(client.set('k', 'late', 0, { timeout: 0.1 })).rejects.toBeInstanceOf(TimeoutError);
    const held = client.delete('k').catch((e: unknown) => e);
    await client.close();
    expect(await held).toBeInstanceOf(ClosedError);
    // Only the first connection was ever opened: the held delete never went out.
    expect(proxy.accepted).toBe(1);
    proxy.releaseHeld();
    await proxy.close();
    await memcached.stop();
  });
});

import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ConnectionError, TimeoutError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  let memcached: MemcachedProcess;
  let proxy: FaultProxy;
  let client: Client;

  const value = { payload: 'v'.repeat(10_000) };
  // The reply to the first get on a connection, up to the end of its value: a binary header and
  // flags, a meta `VA` line, or a text `VALUE` line (its END comes after the value is complete).
  const length = JSON.stringify(value).length;
  const replyLength = {
    binary: 24 + 4 + length,
    meta: `VA ${length} f1 O1\r\n`.length + length + 2,
    text: `VALUE big 1 ${length}\r\n`.length + length + 2,
  }[protocol];
  // A binary connection first gets the 24-byte reply to its greeting NOOP.
  const before = protocol === 'binary' ? 24 : 0;

  beforeAll(async () => {
    memcached = await startMemcached();
    proxy = await startFaultProxy(memcached);
    // Uncompressed, so the reply is as long as the value and every cut point falls inside it.
    // One attempt per get, so each cut is seen; the server is probed again at once. A timeout
    // long enough that a cut connection is always seen closed first, even on a loaded machine.
    client = new Client(proxy.address, {
      socketTimeout: 5,
      compress: false,
      socketMaxFailures: 1,
      downRetryDelay: 0,
      protocol,
    });
    await client.set('big', value);
  });
  afterAll(async () => {
    await client.close();
    await proxy.close();
    await memcached.stop();
  });

  it('never returns a truncated value: a reply cut anywhere fails the request', async () => {
    let truncatedReturned = 0;
    let failed = 0;
    // Cut points across the header, the flags and the value, each on a fresh connection.
    const offsets = [0, 1, 12, 23, 24, 27, 28, 29, 100, 4_096, replyLength - 2, replyLength - 1];
    for (let i = 0; i < 40; i++) offsets.push(28 + Math.floor(Math.random() * (replyLength - 29)));
    // Also inside the greeting's reply, where there is one.
    const cuts = [...(before > 0 ? [0, 12] : []), ...offsets.map((offset) => before + offset)];
    for (const [n, cut] of cuts.entries()) {
      proxy.set({ truncateRepliesAfter: cut, truncateAction: n % 2 === 0 ? 'end' : 'reset' });
      try {
        const got = await client.get('big');
        if (JSON.stringify(got) !== JSON.stringify(value)) truncatedReturned++;
      } catch (error) {
        expect(error).toBeInstanceOf(ConnectionError);
        failed++;
      }
    }
    expect(truncatedReturned).toBe(0);
    expect(failed).toBe(cuts.length);
  }, 60_000);

  it('times out, rather than returning part of a value, when a reply stalls midway', async () => {
    proxy.set({ truncateRepliesAfter: 5_000, truncateAction: 'stall' });
    await expect(client.get('big', { timeout: 0.2 })).rejects.toBeInstanceOf(TimeoutError);
    proxy.heal();
    expect(await client.get('big')).toEqual(value);
  });
});

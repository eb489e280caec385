import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, ConnectionError, TimeoutError } from '../../src/index.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;
let client: Client;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());
beforeEach(async () => {
  proxy = await startFaultProxy(memcached);
  client = new Client(proxy.address, { socketTimeout: 0.2 });
});
afterEach(async () => {
  await client.close();
  await proxy.close();
});

describe('timeouts', () => {
  it('rejects with a TimeoutError when replies never come, then reconnects once healed', async () => {
    await client.set('k', 'v');
    proxy.set({ blackhole: true });
    const started = performance.now();
    const error = await client.get('k').catch((e: unknown) => e);
    const waited = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toBe(`get on ${proxy.address}: no reply within 200 ms`);
    // Settles near the timeout, not at some far later point (generous bound: this is not a benchmark).
    expect(waited).toBeLessThan(2_000);
    proxy.heal();
    expect(await client.get('k')).toBe('v');
    expect(proxy.accepted).toBe(2);
  });

  it('honours a per-operation timeout shorter than socketTimeout', async () => {
    const patient = new Client(proxy.address, { socketTimeout: 30 });
    await patient.set('k', 'v');
    proxy.set({ blackhole: true });
    await expect(patient.get('k', { timeout: 0.05 })).rejects.toBeInstanceOf(TimeoutError);
    await patient.close();
  });

  it('fails the other requests on a timed-out connection with ConnectionError, not with stray replies', async () => {
    await client.set('k', 'v');
    proxy.set({ replyDelay: 400 });
    const first = client.get('k');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = client.get('k');
    await expect(first).rejects.toBeInstanceOf(TimeoutError);
    await expect(second).rejects.toBeInstanceOf(ConnectionError);
  });

  it('times out a connect that never completes the handshake with memcached (blackholed server)', async () => {
    proxy.set({ blackhole: true });
    await expect(client.version()).rejects.toBeInstanceOf(TimeoutError);
  });

  it('settles operations on a frozen (SIGSTOP) server within the timeout, and recovers after SIGCONT', async () => {
    const frozen = await startMemcached();
    const direct = new Client(frozen.address, { socketTimeout: 0.2 });
    await direct.set('k', 'v');
    await frozen.freeze();
    const results = await Promise.allSettled([direct.get('k'), direct.get('k'), direct.set('k', 'w')]);
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    await frozen.thaw();
    // The set timed out but its bytes reached the kernel: memcached may apply it once thawed.
    // A timeout means "unknown outcome", never "not applied".
    expect(['v', 'w']).toContain(await direct.get('k'));
    expect(await direct.set('k', 'x')).toBe(true);
    expect(await direct.get('k')).toBe('x');
    await direct.close();
    await frozen.stop();
  });

  it('reconnects on the next request after the server was killed and restarted', async () => {
    const server = await startMemcached();
    const direct = new Client(server.address);
    await direct.set('k', 'v');
    server.signal('SIGKILL');
    await expect.poll(() => server.running).toBe(false);
    await expect(direct.get('k')).rejects.toBeInstanceOf(ConnectionError);
    await server.restart();
    expect(await direct.get('k')).toBeUndefined();
    expect(await direct.set('k', 'again')).toBe(true);
    await direct.close();
    await server.stop();
  });
});

describe('AbortSignal', () => {
  it('rejects an aborted operation at once, keeps the connection, and discards the late reply', async () => {
    await client.set('a', 'value of a');
    await client.set('b', 'value of b');
    proxy.set({ replyDelay: 100 });
    const controller = new AbortController();
    const aborted = client.get('a', { signal: controller.signal });
    const next = client.get('b');
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await next).toBe('value of b');
    proxy.heal();
    expect(await client.get('a')).toBe('value of a');
    expect(proxy.accepted).toBe(1);
  });

  it('rejects with the reason given to abort()', async () => {
    proxy.set({ replyDelay: 100 });
    const controller = new AbortController();
    const reason = new Error('user went away');
    const pending = client.get('a', { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

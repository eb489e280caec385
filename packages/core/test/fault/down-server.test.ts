import { freePort, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import { Client, ConnectionError, NoServerAvailableError, TimeoutError } from '../../src/index.ts';

describe('a down server is probed with back-off', () => {
  it('is used again within about a second of coming back, with the default downRetryDelay (30 s)', async () => {
    const server = await startMemcached();
    const client = new Client(server.address, { socketFailureDelay: 0.01 });
    await client.set('k', 'v');
    await server.stop();
    await expect(client.set('k', 'refused')).rejects.toBeInstanceOf(ConnectionError);
    expect(client.servers()[0]).toMatchObject({ up: false, retryDelay: 1_000 });
    await server.start();
    // Bounded far below the 30 s a fixed downRetryDelay would take.
    await expect.poll(() => client.set('k', 'back').catch(() => false), { timeout: 4_000, interval: 100 }).toBe(true);
    expect(client.servers()[0]).toMatchObject({ up: true, retryDelay: undefined });
    await client.close();
    await server.stop();
  });

  it('doubles the wait after each failed probe, up to downRetryDelay, while the server stays down', async () => {
    const port = await freePort();
    const client = new Client(`127.0.0.1:${port}`, { socketFailureDelay: 0.01, downRetryDelay: 1.5 });
    await expect(client.get('k')).rejects.toBeInstanceOf(ConnectionError);
    const delays = [client.servers()[0]?.retryDelay];
    for (let probe = 0; probe < 2; probe++) {
      // Requests fail fast until the wait is over; the one that gets through is the probe.
      await expect
        .poll(() => client.get('k').catch((error: unknown) => error), { timeout: 3_000, interval: 50 })
        .toBeInstanceOf(ConnectionError);
      delays.push(client.servers()[0]?.retryDelay);
    }
    expect(delays).toEqual([1_000, 1_500, 1_500]);
    await client.close();
  });
});

describe('the error names the real cause', () => {
  it('fails a request caught on a hung server with its timeout, not with NoServerAvailableError', async () => {
    const memcached = await startMemcached();
    const proxy = await startFaultProxy(memcached);
    const client = new Client(proxy.address, { socketTimeout: 0.2, socketFailureDelay: 0.05, downRetryDelay: 5 });
    await client.set('k', 'v');
    proxy.set({ blackhole: true });
    const first = client.get('k').catch((error: unknown) => error);
    // The second request shares the first one's retry connection, which breaks when that times out.
    await expect.poll(() => proxy.accepted).toBe(2);
    const second = await client.get('k').catch((error: unknown) => error);
    expect(await first).toBeInstanceOf(TimeoutError);
    expect(second).not.toBeInstanceOf(NoServerAvailableError);
    expect((second as Error).message).toMatch(/no reply within 200 ms|timed out/);
    const later = await client.get('k').catch((error: unknown) => error);
    expect(later).toBeInstanceOf(NoServerAvailableError);
    expect((later as Error).message).toContain(`${proxy.address} is down after: no reply within 200 ms`);
    expect((later as Error).cause).toBeInstanceOf(TimeoutError);
    await client.close();
    await proxy.close();
    await memcached.stop();
  });
});

describe('failure storms', () => {
  it('fails requests to a stopped server with errors that carry no captured stack frames', async () => {
    const port = await freePort();
    const client = new Client(`127.0.0.1:${port}`, { socketFailureDelay: 0.01 });
    const results = await Promise.allSettled(Array.from({ length: 1_000 }, (_, i) => client.get(`k${i}`)));
    const errors = results.map((result) => (result as PromiseRejectedResult).reason as Error);
    expect(errors.every((error) => error instanceof ConnectionError)).toBe(true);
    // One socket failure fanned out to 1,000 requests: no stack capture per request.
    expect(errors.filter((error) => error.stack?.includes('\n    at '))).toEqual([]);
    await client.close();
  });
});

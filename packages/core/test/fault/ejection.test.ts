import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ServerDownMessage, TimeoutError } from '../../src/index.ts';

/**
 * `health.eject`: a server that still answers, but too slowly (the fault proxy delays its replies)
 * or with too many failed requests, is marked down as a failing one would be, its keys go to the
 * other server, and it is probed back once healed.
 */
describe('ejection', () => {
  let slow: MemcachedProcess;
  let fast: MemcachedProcess;
  let proxy: FaultProxy;
  let client: Client | undefined;
  const downs: ServerDownMessage[] = [];
  const onDown = (message: unknown): void => {
    if ((message as ServerDownMessage).client === client) downs.push(message as ServerDownMessage);
  };

  beforeAll(async () => {
    [slow, fast] = await Promise.all([startMemcached(), startMemcached()]);
    proxy = await startFaultProxy(slow);
    subscribe('dalli:server:down', onDown);
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    downs.length = 0;
    proxy.heal();
  });
  afterAll(async () => {
    unsubscribe('dalli:server:down', onDown);
    await proxy.close();
    await Promise.all([slow.stop(), fast.stop()]);
  });

  /** Keys the ring places on the proxied server, found by asking the client where each key lives. */
  function keysOnProxy(of: Client, count: number): string[] {
    const keys: string[] = [];
    for (let i = 0; keys.length < count && i < 10_000; i++) {
      if (of.locate(`key-${i}`).server === proxy.address) keys.push(`key-${i}`);
    }
    return keys;
  }

  it('ejects a server whose replies are slower than eject.latency at its percentile, and its keys fail over', async () => {
    const ejecting = new Client([proxy.address, fast.address], {
      downRetryDelay: 0.2,
      health: { eject: { latency: 0.03, minRequests: 5 } },
    });
    client = ejecting;
    const keys = keysOnProxy(ejecting, 8);
    proxy.set({ replyDelay: 60 });
    for (const key of keys) await ejecting.set(key, 'v');
    expect(downs).toHaveLength(1);
    expect(downs[0]).toMatchObject({ server: proxy.address, reason: 'latency', failures: 0, flaps: 0 });
    expect(downs[0]?.error).toBeInstanceOf(TimeoutError);
    expect(downs[0]?.error.message).toContain('p90 reply time over the last 10 s was above 30 ms');
    expect(ejecting.servers()[0]).toMatchObject({ up: false, downReason: 'latency' });
    // Meanwhile its keys are served by the other server, without touching the slow one.
    const chunks = proxy.clientChunks;
    expect(await ejecting.set(keys[0] as string, 'elsewhere')).toBe(true);
    expect(proxy.clientChunks).toBe(chunks);
    // Healed, it is probed on a new connection and trusted again at its first reply.
    proxy.heal();
    const back = (): Promise<boolean | undefined> =>
      ejecting.set(keys[1] as string, 'back').then(() => ejecting.servers()[0]?.up);
    await expect.poll(back, { timeout: 5_000, interval: 20 }).toBe(true);
    expect(proxy.accepted).toBe(2);
  });

  it('ejects a server whose failed requests reach eject.errorRate, though no failures come in a row', async () => {
    let chunk = 0;
    const ejecting = new Client([proxy.address, fast.address], {
      socketTimeout: 0.1,
      socketMaxFailures: 50,
      requestMaxAttempts: 1,
      health: { eject: { errorRate: 0.2, minRequests: 6 } },
    });
    client = ejecting;
    const keys = keysOnProxy(ejecting, 40);
    // Every third reply stalls past the timeout: its connection breaks, the next one answers (a
    // quarter of the requests fail, counting each binary connection's greeting).
    proxy.set({ replyDelay: () => (++chunk % 3 === 0 ? 300 : 0) });
    for (const key of keys) {
      await ejecting.set(key, 'v').catch(() => undefined);
      if (downs.length > 0) break;
    }
    expect(downs).toHaveLength(1);
    expect(downs[0]).toMatchObject({ server: proxy.address, reason: 'errors' });
    expect(downs[0]?.failures).toBeLessThan(50);
    expect(downs[0]?.error).toBeInstanceOf(TimeoutError);
    expect(ejecting.servers()[0]).toMatchObject({ up: false, downReason: 'errors' });
  });

  it('never ejects without the option, however slow the replies', async () => {
    const plain = new Client([proxy.address, fast.address], {});
    client = plain;
    const keys = keysOnProxy(plain, 8);
    proxy.set({ replyDelay: 60 });
    for (const key of keys) await plain.set(key, 'v');
    expect(downs).toHaveLength(0);
    expect(plain.servers()[0]?.up).toBe(true);
  });
});

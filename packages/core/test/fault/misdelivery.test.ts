import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchError, Client, ConnectionError, NoServerAvailableError, TimeoutError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

// The dialects run at once, each with its own memcached and proxy (their load waits on held-back
// replies, not on the CPU); a dialect's two tests share its proxy's faults, so they take turns.
describe.concurrent.each(DIALECTS)('%s protocol', (protocol) => {
  let memcached: MemcachedProcess;
  let proxy: FaultProxy;

  beforeAll(async () => {
    memcached = await startMemcached();
    proxy = await startFaultProxy(memcached);
  });
  afterAll(async () => {
    await proxy.close();
    await memcached.stop();
  });

  const KEYS = 200;
  const OPERATIONS = 3_000;
  const WAVE = 20;

  /** Every key holds a value no other key holds, so a reply handed to the wrong caller shows. */
  const expectedValue = (i: number): { key: string; payload: string } => ({
    key: `md:${i}`,
    payload: `${i}:`.repeat(1 + (i % 40)),
  });
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

  /** A tiny deterministic generator, so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  type Outcome = 'ok' | 'timeout' | 'connection' | 'noServer' | 'batch' | 'aborted' | 'misdelivered';

  /** Multi-get hits must each be their own key's value, whether the batch succeeded or not. */
  function hitsAreTheirOwn(found: Map<string, unknown>): boolean {
    return [...found].every(([key, value]) => same(value, expectedValue(Number(key.slice(3)))));
  }

  function classify(error: unknown): Outcome {
    if (error instanceof TimeoutError) return 'timeout';
    if (error instanceof ConnectionError) return 'connection';
    if (error instanceof NoServerAvailableError) return 'noServer';
    // setMulti's partial results are `true` per stored key, not values; only a getMulti's hits can be misdelivered.
    if (error instanceof BatchError && error.operation === 'setMulti') return 'batch';
    if (error instanceof BatchError)
      return hitsAreTheirOwn(error.results as Map<string, unknown>) ? 'batch' : 'misdelivered';
    if (error instanceof DOMException && error.name === 'AbortError') return 'aborted';
    throw error;
  }

  it.sequential('delivers zero replies to the wrong caller across thousands of mixed operations with late replies and aborts', async () => {
    const setup = new Client(memcached.address, { protocol });
    await setup.setMulti(Array.from({ length: KEYS }, (_, i) => [`md:${i}`, expectedValue(i)] as const));
    await setup.close();

    const rand = random(0xdab);
    const pick = (): number => Math.floor(rand() * KEYS);
    // Mostly prompt replies; 10% of reply chunks are held back 50-250 ms, often past the 100 ms
    // timeout, which stalls every reply behind them on that connection.
    proxy.set({ replyDelay: () => (rand() < 0.1 ? 50 + rand() * 200 : 0) });
    const client = new Client(proxy.address, {
      socketTimeout: 0.1,
      socketFailureDelay: 0.01,
      downRetryDelay: 0,
      protocol,
    });
    const counts: Record<Outcome, number> = {
      ok: 0,
      timeout: 0,
      connection: 0,
      noServer: 0,
      batch: 0,
      aborted: 0,
      misdelivered: 0,
    };

    const operation = async (n: number): Promise<Outcome> => {
      const i = pick();
      const controller = rand() < 0.1 ? new AbortController() : undefined;
      if (controller !== undefined) setTimeout(() => controller.abort(), rand() * 120);
      const options = { signal: controller?.signal };
      const kind = rand();
      try {
        if (kind < 0.45) return same(await client.get(`md:${i}`, options), expectedValue(i)) ? 'ok' : 'misdelivered';
        if (kind < 0.6)
          return (await client.set(`md:${i}`, expectedValue(i), 0, options)) === true ? 'ok' : 'misdelivered';
        if (kind < 0.7) {
          const keys = Array.from({ length: 5 }, () => `md:${pick()}`);
          const found = await client.getMulti(keys, options);
          return found.size === new Set(keys).size && hitsAreTheirOwn(found) ? 'ok' : 'misdelivered';
        }
        if (kind < 0.75) {
          const entries = Array.from({ length: 3 }, () => pick()).map((j) => [`md:${j}`, expectedValue(j)] as const);
          return (await client.setMulti(entries, 0, options)) === undefined ? 'ok' : 'misdelivered';
        }
        if (kind < 0.85) return (await client.get(`md:absent:${n}`, options)) === undefined ? 'ok' : 'misdelivered';
        if (kind < 0.95) return (await client.delete(`md:absent:${n}`, options)) === false ? 'ok' : 'misdelivered';
        const stats = await client.stats(undefined, options);
        return Number(stats[proxy.address]?.pid) === memcached.pid ? 'ok' : 'misdelivered';
      } catch (error) {
        return classify(error);
      }
    };

    for (let start = 0; start < OPERATIONS; start += WAVE) {
      const outcomes = await Promise.all(Array.from({ length: WAVE }, (_, j) => operation(start + j)));
      for (const outcome of outcomes) counts[outcome]++;
    }
    await client.close();

    expect(counts.misdelivered).toBe(0);
    // The faults really happened, and most operations still succeeded.
    expect(counts.timeout).toBeGreaterThan(0);
    expect(counts.aborted).toBeGreaterThan(0);
    expect(proxy.accepted).toBeGreaterThan(2);
    expect(counts.ok).toBeGreaterThan(OPERATIONS / 3);
    expect(Object.values(counts).reduce((a, b) => a + b)).toBe(OPERATIONS);
  }, 60_000);

  it.sequential('reads every value correctly when replies arrive split into tiny pieces or merged', async () => {
    const client = new Client(proxy.address, { socketTimeout: 20, protocol });
    proxy.heal();
    const count = 10;
    await Promise.all(Array.from({ length: count }, (_, i) => client.set(`md:${i}`, expectedValue(i))));
    for (const faults of [{ splitReplies: 7 }, { splitReplies: 2 }, { mergeReplies: 20 }]) {
      proxy.heal();
      proxy.set(faults);
      const values = await Promise.all(Array.from({ length: count }, (_, i) => client.get(`md:${i}`)));
      expect(values).toEqual(Array.from({ length: count }, (_, i) => expectedValue(i)));
      const multi = await client.getMulti(Array.from({ length: count }, (_, i) => `md:${i}`));
      expect([...multi.values()]).toEqual(values);
    }
    proxy.heal();
    await client.close();
  }, 60_000);
});

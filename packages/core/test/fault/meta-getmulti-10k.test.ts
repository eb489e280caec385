import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchError, Client } from '../../src/index.ts';

// A pipelined meta getMulti of 10,000 keys across 3 servers (quiet `mg … q` lines closed by `mn`),
// with single gets of the same keys interleaved, through fault proxies that split, merge and delay
// the replies: every value reaches the caller of its own key, or the key fails; none is swapped.
const COUNT = 10_000;
const keys = Array.from({ length: COUNT }, (_, i) => `tenk:${i}`);
/** Each key's value is its own, so a value handed to another key shows. */
const ownValue = (key: string): string => `${key}=${'v'.repeat(key.length % 17)}`;

let servers: MemcachedProcess[];
let proxies: FaultProxy[];
let client: Client;

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  proxies = await Promise.all(servers.map((server) => startFaultProxy(server)));
  client = new Client(
    proxies.map((proxy) => proxy.address),
    { protocol: 'meta', socketTimeout: 10, socketFailureDelay: 0.01, downRetryDelay: 0 },
  );
  await client.setMulti(keys.map((key) => [key, ownValue(key)] as const));
});
afterAll(async () => {
  await client.close();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await Promise.all(servers.map((server) => server.stop()));
});

/** The keys whose value is not their own (a wrong delivery). */
function misdelivered(found: Map<string, unknown>): string[] {
  return [...found].filter(([key, value]) => value !== ownValue(key)).map(([key]) => key);
}

describe('a 10k-key meta getMulti across 3 servers through the cross-talk proxy', () => {
  it.each([
    ['replies cut every 500 bytes, mid-line', { splitReplies: 500 }],
    ['replies merged 20 at a time', { mergeReplies: 20 }],
    ['reply chunks delayed at random', { replyDelay: () => Math.random() * 20 }],
  ])(
    'reads every key, each its own value, with %s',
    async (_name, faults) => {
      for (const proxy of proxies) proxy.set(faults);
      const singles = keys.filter((_, i) => i % 97 === 0);
      const [found, ...alone] = await Promise.all([client.getMulti(keys), ...singles.map((key) => client.get(key))]);
      for (const proxy of proxies) proxy.heal();
      expect(found.size).toBe(COUNT);
      expect(misdelivered(found)).toEqual([]);
      expect(alone).toEqual(singles.map(ownValue));
      // Pipelined as quiet meta gets, settled by the replies that follow them (the single gets, or mn).
      const sent = proxies.flatMap((proxy) => proxy.transcript.filter((entry) => entry.from === 'client'));
      const wire = Buffer.concat(sent.map((entry) => entry.bytes)).toString('latin1');
      expect(wire.match(/^mg tenk:\d+ v f k q O\d+\r$/gm)?.length).toBeGreaterThanOrEqual(COUNT);
      for (const proxy of proxies) proxy.transcript.length = 0;
    },
    60_000,
  );

  it('hands no value to the wrong key when replies stall past the timeout and connections are dropped', async () => {
    const impatient = new Client(
      proxies.map((proxy) => proxy.address),
      { protocol: 'meta', socketTimeout: 0.05, socketMaxFailures: 1, downRetryDelay: 0 },
    );
    // Every 5th reply chunk of each server stalls past the timeout: deterministic, so every round
    // really drops connections (retries may still recover the keys, so keys need not fail).
    for (const proxy of proxies) {
      let chunks = 0;
      proxy.set({ replyDelay: () => (++chunks % 5 === 0 ? 80 : 0) });
    }
    let dropped = 0;
    const onClose = (message: unknown): void => {
      const { client: owner, error } = message as { client: unknown; error: unknown };
      if (owner === impatient && error !== undefined) dropped++;
    };
    subscribe('dalli:connection:close', onClose);
    let wrong = 0;
    for (let round = 0; round < 3; round++) {
      const outcome = await impatient.getMulti(keys).catch((error: unknown) => error);
      if (!(outcome instanceof Map) && !(outcome instanceof BatchError)) throw outcome;
      const found = outcome instanceof BatchError ? (outcome.results as Map<string, unknown>) : outcome;
      wrong += misdelivered(found).length;
    }
    for (const proxy of proxies) proxy.heal();
    await impatient.close();
    unsubscribe('dalli:connection:close', onClose);
    expect(wrong).toBe(0);
    // The stalls really timed out connections with replies still owed.
    expect(dropped).toBeGreaterThan(0);
  }, 60_000);
});

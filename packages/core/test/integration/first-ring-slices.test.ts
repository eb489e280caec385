import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';

/**
 * A fleet's first ring is built in slices: `new Client(5,000 servers)` returns before its ring
 * exists, the event loop turns while it is built, and an operation issued at once waits for it and
 * then goes to the key's server. One of the 5,000 is a real memcached; the others are only named.
 */
let memcached: MemcachedProcess;
let fleet: string[];
let key: string;

beforeAll(async () => {
  memcached = await startMemcached();
  fleet = Array.from({ length: 5_000 }, (_, i) => `127.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}:1`);
  fleet[1_234] = memcached.address;
  // A key the real server owns, found on a reference client's ring (locate builds it at once).
  const reference = new Client(fleet);
  key = Array.from({ length: 100_000 }, (_, i) => `key:${i}`).find(
    (candidate) => reference.locate(candidate).server === memcached.address,
  ) as string;
  await reference.close();
});
afterAll(async () => {
  await memcached.stop();
});

it('the event loop turns between new Client(5,000 servers) and the start of an operation issued at once, which then reaches the key’s server', async () => {
  let turns = 0;
  let ticking = true;
  const tick = (): void => {
    if (!ticking) return;
    turns++;
    setImmediate(tick);
  };
  const startedAfter: number[] = [];
  const onStart = (): void => void startedAfter.push(turns);
  subscribe('tracing:dalli:command:start', onStart);
  setImmediate(tick);
  const client = new Client(fleet);
  try {
    expect(await client.set(key, 'placed')).toBe(true);
    expect(await client.get(key)).toBe('placed');
    // Before the change, the ring existed when the constructor returned: the set started in that same turn.
    expect(startedAfter[0]).toBeGreaterThan(1);
    expect(client.locate(key).server).toBe(memcached.address);
  } finally {
    ticking = false;
    unsubscribe('tracing:dalli:command:start', onStart);
    await client.close();
  }
});

it('a client of 100 servers builds its ring in the constructor: an operation starts in the same turn', async () => {
  const small = fleet.slice(1_200, 1_300);
  const startedAfter: number[] = [];
  let turns = 0;
  const onStart = (): void => void startedAfter.push(turns);
  subscribe('tracing:dalli:command:start', onStart);
  const client = new Client(small);
  try {
    const pending = client.get(key).catch(() => undefined);
    turns++;
    expect(startedAfter).toEqual([0]);
    await pending;
  } finally {
    unsubscribe('tracing:dalli:command:start', onStart);
    await client.close();
  }
});

it('bad weights in a fleet still throw from the constructor', () => {
  expect(() => new Client([...fleet.slice(0, 200), '127.0.0.1:1:-3'])).toThrow();
});

/**
 * cache-manager 7.2.9's own expectations of a store (its test/*.test.ts run them over an in-memory
 * Keyv), asserted through `createCache({ stores: [dalliStore(...)] })` against a real memcached.
 * Written here from what those tests check, not copied. memcached's clock ticks in whole seconds,
 * so these use TTLs of a second or more where cache-manager's use 500–1000 ms, and check that an
 * entry lives at least its TTL (dalliStore adds one tick).
 */
import type { Client } from '@dalli/core';
import { type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { createCache } from 'cache-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dalliStore } from '../src/index.ts';

let memcached: MemcachedProcess;
const stores: ReturnType<typeof dalliStore>[] = [];

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.disconnect()));
  await memcached.stop();
});

let namespaces = 0;
/** A cache over its own namespace, so cases never see each other's keys. */
function cache(options: Parameters<typeof createCache>[0] = {}, storeOptions: Parameters<typeof dalliStore>[0] = {}) {
  const store = dalliStore({ servers: memcached.address, namespace: `contract-${++namespaces}`, ...storeOptions });
  stores.push(store);
  return createCache({ ...options, stores: [store] });
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('get and set', () => {
  it('set returns the value, and get reads it back', async () => {
    const cm = cache();
    expect(await cm.set('key', { a: 1 })).toEqual({ a: 1 });
    expect(await cm.get('key')).toEqual({ a: 1 });
  });

  it('get of a missing key is undefined', async () => {
    expect(await cache().get('never-set')).toBeUndefined();
  });

  it('an entry set with a TTL is gone after it, and present until it', async () => {
    const cm = cache();
    await cm.set('short', 'v', 1_000);
    await sleep(900);
    expect(await cm.get('short')).toBe('v');
    await sleep(1_200);
    expect(await cm.get('short')).toBeUndefined();
  });

  it('the cache-wide ttl option applies when set has none', async () => {
    const cm = cache({ ttl: 1_000 });
    await cm.set('default', 'v');
    expect(await cm.get('default')).toBe('v');
    await sleep(2_100);
    expect(await cm.get('default')).toBeUndefined();
  });
});

describe('mget, mset, del, mdel, clear', () => {
  it('mset stores a list, mget reads it in order with undefined for misses', async () => {
    const cm = cache();
    const list: Array<{ key: string; value: unknown; ttl?: number }> = [
      { key: 'a', value: 1 },
      { key: 'b', value: 'two', ttl: 60_000 },
    ];
    expect(await cm.mset(list)).toEqual(list.map((entry) => ({ ttl: undefined, ...entry })));
    expect(await cm.mget(['b', 'missing', 'a'])).toEqual(['two', undefined, 1]);
  });

  it('del removes one key and resolves true', async () => {
    const cm = cache();
    await cm.set('gone', 1);
    await cm.set('kept', 2);
    expect(await cm.del('gone')).toBe(true);
    expect(await cm.get('gone')).toBeUndefined();
    expect(await cm.get('kept')).toBe(2);
  });

  it('mdel removes several keys and resolves true', async () => {
    const cm = cache();
    await cm.mset([
      { key: 'x', value: 1 },
      { key: 'y', value: 2 },
      { key: 'z', value: 3 },
    ]);
    expect(await cm.mdel(['x', 'y'])).toBe(true);
    expect(await cm.mget(['x', 'y', 'z'])).toEqual([undefined, undefined, 3]);
  });

  it('clear removes every key of the cache and resolves true', async () => {
    const cm = cache();
    await cm.mset([
      { key: 'p', value: 1 },
      { key: 'q', value: 2 },
    ]);
    expect(await cm.clear()).toBe(true);
    expect(await cm.mget(['p', 'q'])).toEqual([undefined, undefined]);
  });
});

describe('ttl', () => {
  it('gives the expiry time of an entry, in epoch milliseconds', async () => {
    const cm = cache();
    const before = Date.now();
    await cm.set('t', 'v', 10_000);
    const expires = await cm.ttl('t');
    expect(expires).toBeGreaterThanOrEqual(before + 10_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 10_000);
  });

  it('is undefined for a missing key or an entry without expiry', async () => {
    const cm = cache();
    await cm.set('forever', 'v');
    expect(await cm.ttl('forever')).toBeUndefined();
    expect(await cm.ttl('missing')).toBeUndefined();
  });
});

describe('wrap', () => {
  it('calls the function once and serves the cached value after', async () => {
    const cm = cache();
    const compute = vi.fn(async () => ({ computed: true }));
    expect(await cm.wrap('w', compute, 60_000)).toEqual({ computed: true });
    expect(await cm.wrap('w', compute, 60_000)).toEqual({ computed: true });
    expect(compute).toHaveBeenCalledTimes(1);
    expect(await cm.get('w')).toEqual({ computed: true });
  });

  it('calls the function again once the TTL has passed', async () => {
    const cm = cache();
    let n = 0;
    const compute = vi.fn(async () => ++n);
    expect(await cm.wrap('expiring', compute, 1_000)).toBe(1);
    await sleep(2_100);
    expect(await cm.wrap('expiring', compute, 1_000)).toBe(2);
  });

  it('takes the TTL as a function of the value, and returns raw data with { raw: true }', async () => {
    const cm = cache();
    const ttl = vi.fn((value: number) => value * 1_000);
    const before = Date.now();
    const first = await cm.wrap('raw', async () => 30, { ttl, raw: true });
    expect(first?.value).toBe(30);
    expect(ttl).toHaveBeenCalledWith(30);
    const stored = await cm.wrap('raw', async () => 99, { ttl, raw: true });
    expect(stored?.value).toBe(30);
    expect(stored?.expires).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('with refreshThreshold, serves the cached value and refreshes it in the background (short TTL)', async () => {
    // Four keys written a quarter second apart cover every phase of memcached's whole-second clock:
    // an entry that lived less than its TTL would be missed by wrap and computed in the foreground.
    const runs = [0, 1, 2, 3].map(async (i) => {
      await sleep(i * 250);
      const cm = cache();
      const refreshed = new Promise((resolve) => cm.on('refresh', resolve));
      let n = 0;
      const compute = vi.fn(async () => ++n);
      expect(await cm.wrap('hot', compute, 1_000, 500)).toBe(1);
      // Past ttl - threshold, yet before the TTL: the cached value, and a refresh behind it.
      await sleep(600);
      expect(await cm.wrap('hot', compute, 1_000, 500)).toBe(1);
      expect(await refreshed).toEqual({ key: 'hot', value: 2 });
      expect(compute).toHaveBeenCalledTimes(2);
      expect(await cm.get('hot')).toBe(2);
    });
    await Promise.all(runs);
  });

  it('with refreshThreshold, does not refresh an entry far from its expiry', async () => {
    const cm = cache();
    const compute = vi.fn(async () => 'v');
    await cm.wrap('cold', compute, 10_000, 500);
    await cm.wrap('cold', compute, 10_000, 500);
    await sleep(100);
    expect(compute).toHaveBeenCalledTimes(1);
  });
});

describe('events', () => {
  it('set, get, del, mset, mget, mdel, ttl and clear emit their events', async () => {
    const cm = cache();
    const seen: Array<[string, unknown]> = [];
    // cache-manager 7.2.9 emits mdel but leaves it out of its Events type: listen untyped.
    const on = cm.on as (event: string, listener: (event: unknown) => void) => void;
    for (const name of ['set', 'get', 'del', 'mset', 'mget', 'mdel', 'ttl', 'clear']) {
      on(name, (event) => seen.push([name, event]));
    }
    await cm.set('e', 'v', 60_000);
    await cm.get('e');
    await cm.ttl('e');
    await cm.mset([{ key: 'f', value: 1 }]);
    await cm.mget(['e', 'f']);
    await cm.del('e');
    await cm.mdel(['f']);
    await cm.clear();
    expect(seen).toEqual([
      ['set', { key: 'e', value: 'v', store: 'primary' }],
      ['set', { key: 'e', value: 'v' }],
      ['get', { key: 'e', value: 'v', store: 'primary' }],
      ['ttl', { key: 'e', value: expect.objectContaining({ value: 'v', expires: expect.any(Number) }) }],
      ['mset', { list: [{ key: 'f', value: 1, ttl: undefined }] }],
      ['mget', { keys: ['e', 'f'], values: ['v', 1] }],
      ['del', { key: 'e' }],
      ['mdel', { keys: ['f'] }],
      ['clear', undefined],
    ]);
  });

  it('a failing store emits set with the error, and set rejects', async () => {
    const proxy = await startFaultProxy(memcached);
    const cm = cache({}, { servers: proxy.address, clientOptions: { socketTimeout: 0.2, socketMaxFailures: 1 } });
    const errors: unknown[] = [];
    cm.on('set', (event) => errors.push(event));
    proxy.set({ blackhole: true });
    await expect(cm.set('down', 'v')).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
    expect(errors).toEqual([{ key: 'down', value: 'v', error: expect.objectContaining({ code: expect.any(String) }) }]);
    await proxy.close();
  });
});

describe('disconnect', () => {
  // Deliberately different from an in-memory Keyv: disconnect closes the memcached client, and the
  // store's next operation opens a new one (so a NestJS module outlives its first app.close()).
  it('closes the client of the store, and the next operation reconnects', async () => {
    const store = dalliStore({ servers: memcached.address, namespace: 'disconnect' });
    const cm = createCache({ stores: [store] });
    await cm.set('k', 'v');
    const closed = (store.store as { client: Client }).client;
    await cm.disconnect();
    await expect(closed.get('k')).rejects.toMatchObject({ code: 'ERR_DALLI_CLOSED' });
    expect(await cm.get('k')).toBe('v');
    expect((store.store as { client: Client }).client).not.toBe(closed);
    await cm.disconnect();
  });
});

import { createRequire } from 'node:module';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DalliStoreOptions, dalliStore } from '../src/index.ts';

// cache-manager 5.7.6, as the NestJS 10 example installs it (this package's own devDependency is 7).
const cacheManager5 = createRequire(new URL('../../../examples/nestjs10-app/package.json', import.meta.url))(
  'cache-manager',
) as { caching: (factory: typeof dalliStore, options?: DalliStoreOptions) => Promise<Cache5> };

/** What these tests use of cache-manager 5's `Cache` and `Store`. */
interface Cache5 {
  store: {
    name: string;
    mget(...keys: string[]): Promise<unknown[]>;
    mset(entries: [string, unknown][], ttl?: number): Promise<void>;
    mdel(...keys: string[]): Promise<void>;
    ttl(key: string): Promise<number>;
    keys(): Promise<string[]>;
    disconnect(): Promise<void>;
  };
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttl?: number): Promise<void>;
  del(key: string): Promise<void>;
  reset(): Promise<void>;
  wrap<T>(key: string, compute: () => Promise<T>, ttl?: number, refreshThreshold?: number): Promise<T>;
  on(event: 'error', handler: (event: { operation: string; error: unknown }) => void): void;
}

let memcached: MemcachedProcess;
const caches: Cache5[] = [];

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.store.disconnect()));
  await memcached.stop();
});

async function caching(options: DalliStoreOptions): Promise<Cache5> {
  const cache = await cacheManager5.caching(dalliStore, { servers: memcached.address, ...options });
  caches.push(cache);
  return cache;
}

describe("cache-manager 5's own API: caching(dalliStore, options)", () => {
  it('builds the memcached store', async () => {
    expect((await caching({ namespace: 'name' })).store.name).toBe('dalli');
  });

  it('get, set, del and reset', async () => {
    const cache = await caching({ namespace: 'basic' });
    await cache.set('a', { n: 1 });
    await cache.set('b', 'two');
    expect(await cache.get('a')).toEqual({ n: 1 });
    await cache.del('a');
    expect(await cache.get('a')).toBeUndefined();
    await cache.reset();
    expect(await cache.get('b')).toBeUndefined();
  });

  it('the store’s mset, mget and mdel, keys in order', async () => {
    const { store } = await caching({ namespace: 'multi' });
    await store.mset(
      [
        ['x', 1],
        ['y', 2],
      ],
      60_000,
    );
    expect(await store.mget('x', 'missing', 'y')).toEqual([1, undefined, 2]);
    await store.mdel('x', 'y');
    expect(await store.mget('x', 'y')).toEqual([undefined, undefined]);
  });

  it('the store’s ttl(key) in milliseconds, -1 without expiry, -2 when absent; keys() rejects', async () => {
    const cache = await caching({ namespace: 'ttl', ttl: 60_000 });
    await cache.set('default', 'v');
    await cache.set('forever', 'v', 0);
    const left = await cache.store.ttl('default');
    expect(left).toBeGreaterThan(55_000);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(await cache.store.ttl('forever')).toBe(-1);
    expect(await cache.store.ttl('absent')).toBe(-2);
    await expect(cache.store.keys()).rejects.toThrow(/cannot list its keys/);
  });

  it('wrap computes once and refreshes in the background under refreshThreshold', async () => {
    // A threshold above the TTL: every hit is under it, so the second wrap refreshes.
    const cache = await caching({ namespace: 'wrap', refreshThreshold: 61_000 });
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.wrap('w', compute, 60_000)).toBe(1);
    expect(await cache.wrap('w', compute, 60_000)).toBe(1); // served, refresh started
    await expect.poll(() => cache.get('w')).toBe(2);
  });

  it('hands a failed background refresh to onBackgroundRefreshError', async () => {
    const failures: unknown[] = [];
    const cache = await caching({
      namespace: 'refresh-error',
      refreshThreshold: 61_000,
      onBackgroundRefreshError: (error) => failures.push(error),
    });
    expect(await cache.wrap('w', async () => 'first', 60_000)).toBe('first');
    const refresh = async (): Promise<string> => {
      throw new Error('the database is down');
    };
    expect(await cache.wrap('w', refresh, 60_000)).toBe('first');
    await expect.poll(() => failures).toEqual([expect.objectContaining({ message: 'the database is down' })]);
  });

  it('refuses an option it does not know instead of ignoring it', async () => {
    await expect(
      cacheManager5.caching(dalliStore, { servers: memcached.address, max: 100 } as DalliStoreOptions),
    ).rejects.toThrow(/dalliStore: unknown option "max"/);
  });
});

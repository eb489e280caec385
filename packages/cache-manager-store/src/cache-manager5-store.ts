import type { Client } from '@dalli/core';
import type Keyv from 'keyv';

/**
 * A cache-manager 5 store (its `Store` type), which `CacheModule.register({ store: dalliStore })`
 * builds under NestJS 10 with @nestjs/cache-manager 2 and cache-manager 5. TTLs are milliseconds;
 * one given as 0 stores without expiry; none given takes the default from the options.
 */
export interface CacheManager5Store {
  readonly name: 'dalli';
  /** The client underneath, e.g. to close it on shutdown (NestJS 10 does not). */
  readonly client: Client;
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttl?: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Drops this store's namespace, never the whole server. */
  reset(): Promise<void>;
  mset(entries: [string, unknown][], ttl?: number): Promise<void>;
  mget(...keys: string[]): Promise<unknown[]>;
  mdel(...keys: string[]): Promise<void>;
  /** Always rejects: memcached cannot list its keys. */
  keys(pattern?: string): Promise<string[]>;
  /** Milliseconds the entry has left; -1 when it never expires, -2 when it is absent (as Redis' PTTL). */
  ttl(key: string): Promise<number>;
  /** Closes the client if this store created it. */
  disconnect(): Promise<void>;
}

/** The cache-manager 5 store over a Keyv 5 instance (which serializes values and checks expiry). */
export function cacheManager5Store(keyv: Keyv, client: Client, defaultTtl: number | undefined): CacheManager5Store {
  const expiry = (ttl: number | undefined): number | undefined => {
    const ms = ttl ?? defaultTtl;
    return ms === undefined || ms === 0 ? undefined : ms;
  };
  return {
    name: 'dalli',
    client,
    get: async <T>(key: string) => (await keyv.get(key)) as T | undefined,
    set: async (key, value, ttl) => {
      await keyv.set(key, value, expiry(ttl));
    },
    del: async (key) => {
      await keyv.delete(key);
    },
    reset: () => keyv.clear(),
    mset: async (entries, ttl) => {
      await keyv.setMany(entries.map(([key, value]) => ({ key, value, ttl: expiry(ttl) })));
    },
    mget: (...keys) => keyv.getMany(keys),
    mdel: async (...keys) => {
      await keyv.deleteMany(keys);
    },
    keys: () =>
      Promise.reject(new Error('memcached cannot list its keys: keys() is not supported by @dalli/cache-manager')),
    ttl: async (key) => {
      const stored = (await keyv.get(key, { raw: true })) as { expires?: number | null } | undefined;
      if (stored === undefined) return -2;
      return typeof stored.expires === 'number' ? Math.max(0, stored.expires - Date.now()) : -1;
    },
    disconnect: () => keyv.disconnect(),
  };
}

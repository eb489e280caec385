import type { Client } from '@dalli/core';

/**
 * cache-manager 5's store contract (its `Store` type), which `caching(dalliStore, options)` and
 * NestJS 10's `CacheModule.register({ store: dalliStore })` use. TTLs are milliseconds; one given
 * as 0 stores without expiry; none given takes the default from the options.
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

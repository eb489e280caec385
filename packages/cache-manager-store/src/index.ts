/**
 * A memcached store for cache-manager 7 and `@nestjs/cache-manager` 12 (`stores: [dalliStore()]`),
 * and for cache-manager 5 (`caching(dalliStore, options)`) and `@nestjs/cache-manager` 2 under
 * NestJS 10 (`store: dalliStore`): {@link dalliStore}.
 *
 * @packageDocumentation
 * @module @dalli/cache-manager
 */
import { KeyvDalliV5 } from '@dalli/keyv';
import type { CacheManager5Store } from './cache-manager5-store.ts';
import { DalliKeyv } from './dalli-keyv.ts';
import { type CacheManager5Options, type DalliStoreOptions, storeOptions } from './store-options.ts';

export type { CacheManager5Store } from './cache-manager5-store.ts';
export type { NestStoreGuard } from './nest-store-guard.ts';
export type { CacheManager5Options, DalliStoreOptions } from './store-options.ts';

/**
 * The `Keyv` class of the keyv copy cache-manager 7 itself resolves, read from its `createCache`
 * (so the store fits `createCache({ stores })` even when the app has another keyv: Keyv 6 beside
 * cache-manager's 5 would otherwise make two unrelated `Keyv` classes, TS2322); `never` under
 * cache-manager 5, whose `createCache` takes no `stores` (and which has no `CreateCacheOptions`
 * type to import: TS2305).
 */
type CacheManager7Keyv = typeof import('cache-manager') extends {
  createCache(options?: { stores?: (infer K)[] }): unknown;
}
  ? K
  : never;

/**
 * What {@link dalliStore} returns, typed for the cache-manager installed: under cache-manager 7,
 * its `Keyv` (what `createCache({ stores })` takes), which also has cache-manager 5's store
 * methods; under cache-manager 5, its store contract.
 */
export type CacheManagerStore = [CacheManager7Keyv] extends [never]
  ? CacheManager5Store
  : CacheManager7Keyv & CacheManager5Store;

/**
 * A Keyv 5 over memcached, for `createCache({ stores: [dalliStore(...)] })` (cache-manager 7)
 * and `CacheModule.register({ stores: [dalliStore(...)] })` (@nestjs/cache-manager 12). It also
 * answers cache-manager 5's store contract, for `caching(dalliStore, options)` (cache-manager 5
 * calls it with those options) and `CacheModule.register({ store: dalliStore, servers: '…' })`
 * (NestJS 10, @nestjs/cache-manager 2), where this store's options sit beside cache-manager's own.
 * Built with `throwOnErrors`, so a failing memcached rejects instead of passing for a miss
 * wherever Keyv would otherwise hide it, except the write in cache-manager 7's `wrap()` after its
 * read failed, which is reported on the store's `error` event so that `wrap()` serves the value
 * it computed.
 */
export function dalliStore(options?: DalliStoreOptions): CacheManagerStore;
// What NestJS 10 (its CacheStoreFactory type) calls a store factory with.
export function dalliStore(options: CacheManager5Options | Readonly<Record<string, unknown>>): CacheManagerStore;
// Repeated last, so that ReturnType<typeof dalliStore> and Parameters<…> name the usual form.
export function dalliStore(options?: DalliStoreOptions): CacheManagerStore;
export function dalliStore(options: DalliStoreOptions | CacheManager5Options = {}): CacheManagerStore {
  const own = storeOptions(options, dalliStore);
  const store = new KeyvDalliV5(own.client ?? own.servers, own.clientOptions);
  // The same keyv 5 API at runtime whichever copy; only the declared type is cache-manager's.
  return new DalliKeyv(store, own.namespace ?? 'keyv', own.ttl) as unknown as CacheManagerStore;
}

/**
 * A memcached store for cache-manager 7 and `@nestjs/cache-manager` 12 (`stores: [dalliStore()]`),
 * and for cache-manager 5 and `@nestjs/cache-manager` 2 under NestJS 10 (`store: dalliStore`):
 * {@link dalliStore}.
 *
 * @packageDocumentation
 * @module @dalli/cache-manager
 */
import { Client, type ClientOptions, InvalidArgumentError } from '@dalli/core';
import { KeyvDalliV5 } from '@dalli/keyv';
import type { CreateCacheOptions } from 'cache-manager';
import Keyv from 'keyv';
import { type CacheManager5Store, cacheManager5Store } from './cache-manager5-store.ts';

export type { CacheManager5Store } from './cache-manager5-store.ts';

/**
 * What cache-manager 7 takes in `stores`: the `Keyv` class of the keyv copy cache-manager itself
 * resolves. Typed from cache-manager rather than from this package's own keyv, so the store fits
 * `createCache({ stores })` even when the app has another keyv (Keyv 6 beside cache-manager's 5
 * would otherwise make two unrelated `Keyv` classes: TS2322).
 */
export type CacheManagerStore = NonNullable<CreateCacheOptions['stores']>[number];

/** Options of {@link dalliStore}. */
export interface DalliStoreOptions {
  /** memcached servers, as `@dalli/core` takes them (default `MEMCACHE_SERVERS`, else 127.0.0.1:11211). */
  readonly servers?: string | readonly string[];
  /** An existing client to share instead (then `servers` and `clientOptions` are not used). */
  readonly client?: Client;
  /** Options of the new client: timeouts, SASL, TLS… */
  readonly clientOptions?: ClientOptions;
  /** Keyv namespace: the key prefix, and what `clear()` drops. Default `keyv`, Keyv's own. */
  readonly namespace?: string;
  /** Milliseconds to live for entries stored without a TTL. Default: no expiry. */
  readonly ttl?: number;
}

/** What each option accepts; the single list of the store's option names. */
const checks: { readonly [name in keyof Required<DalliStoreOptions>]: (value: unknown) => string | undefined } = {
  servers: (value) =>
    typeof value === 'string' || (Array.isArray(value) && value.every((server) => typeof server === 'string'))
      ? undefined
      : 'must be a server string or a list of them',
  client: (value) => (Client.isClient(value) ? undefined : 'must be a @dalli/core Client'),
  clientOptions: (value) => (typeof value === 'object' && value !== null ? undefined : 'must be an object'),
  namespace: (value) => (typeof value === 'string' ? undefined : 'must be a string'),
  ttl: (value) =>
    typeof value === 'number' && Number.isFinite(value) && value > 0
      ? undefined
      : `must be a positive number of milliseconds, got ${String(value)}`,
};

/** Refuses unknown option names and values of the wrong kind, before anything connects. */
function checkOptions(options: DalliStoreOptions): void {
  for (const [name, value] of Object.entries(options)) {
    const check = checks[name as keyof DalliStoreOptions];
    if (check === undefined) {
      throw new InvalidArgumentError(`dalliStore: unknown option "${name}" (known: ${Object.keys(checks).join(', ')})`);
    }
    const problem = value === undefined ? undefined : check(value);
    if (problem !== undefined) throw new InvalidArgumentError(`dalliStore: option "${name}" ${problem}`);
  }
}

/**
 * The options cache-manager 5 hands a store factory (`caching(dalliStore, options)`), as
 * `CacheModule.register({ store: dalliStore, servers, ttl })` does under NestJS 10: this store's
 * options beside cache-manager's own (`store`, `ttl` in milliseconds, `max`, `refreshThreshold`…).
 */
export interface CacheManager5Options extends Omit<DalliStoreOptions, 'ttl'> {
  readonly store: typeof dalliStore;
  readonly ttl?: number;
  readonly [cacheManagerOption: string]: unknown;
}

/**
 * A Keyv 5 instance over memcached, for `createCache({ stores: [dalliStore(...)] })` (cache-manager
 * 7) and `CacheModule.register({ stores: [dalliStore(...)] })` (@nestjs/cache-manager 12). Built
 * with `throwOnErrors`, so a failing memcached rejects instead of passing for a miss wherever Keyv
 * would otherwise hide it.
 *
 * Given as a factory, `CacheModule.register({ store: dalliStore, servers: '…' })` (NestJS 10,
 * @nestjs/cache-manager 2, cache-manager 5), it is called by cache-manager with the module's
 * options and builds a cache-manager 5 store instead.
 */
export function dalliStore(options?: DalliStoreOptions): CacheManagerStore;
// What cache-manager 5 (and NestJS 10's CacheStoreFactory type) calls a store factory with.
export function dalliStore(
  options: CacheManager5Options | Readonly<Record<string, unknown>>,
): Promise<CacheManager5Store>;
// Repeated last, so that ReturnType<typeof dalliStore> and Parameters<…> name the Keyv form.
export function dalliStore(options?: DalliStoreOptions): CacheManagerStore;
export function dalliStore(
  options: DalliStoreOptions | CacheManager5Options = {},
): CacheManagerStore | Promise<CacheManager5Store> {
  if ('store' in options && options.store === dalliStore) return asCacheManager5Store(options);
  checkOptions(options as DalliStoreOptions);
  // The same keyv 5 API at runtime whichever copy; only the declared type is cache-manager's.
  return keyvOver(options as DalliStoreOptions) as unknown as CacheManagerStore;
}

function keyvOver(
  options: DalliStoreOptions,
  store = new KeyvDalliV5(options.client ?? options.servers, options.clientOptions),
): Keyv {
  return new Keyv({ store, namespace: options.namespace ?? 'keyv', ttl: options.ttl, throwOnErrors: true });
}

/** cache-manager 5's factory call: this store's options are picked out, cache-manager's own left to it. */
async function asCacheManager5Store(options: CacheManager5Options): Promise<CacheManager5Store> {
  const own: DalliStoreOptions = {
    servers: options.servers,
    client: options.client,
    clientOptions: options.clientOptions,
    namespace: options.namespace,
  };
  checkOptions(own);
  const ttl = options.ttl;
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)) {
    throw new InvalidArgumentError(`dalliStore: option "ttl" must be a number of milliseconds, got ${String(ttl)}`);
  }
  const store = new KeyvDalliV5(own.client ?? own.servers, own.clientOptions);
  return cacheManager5Store(keyvOver(own, store), store.client, ttl);
}

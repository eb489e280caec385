import { Client, type ClientOptions, InvalidArgumentError } from '@dalli/core';

/** Options of `dalliStore`. */
export interface DalliStoreOptions {
  /** memcached servers, as `@dalli/core` takes them (default `MEMCACHE_SERVERS`, else 127.0.0.1:11211). */
  readonly servers?: string | readonly string[];
  /** An existing client to share instead of `servers` and `clientOptions` (giving both is refused). */
  readonly client?: Client;
  /** Options of the new client: timeouts, SASL, TLS… */
  readonly clientOptions?: ClientOptions;
  /** Keyv namespace: the key prefix, and what `clear()` drops. Default `keyv`, Keyv's own. */
  readonly namespace?: string;
  /** Milliseconds to live for entries stored without a TTL. Default: no expiry. */
  readonly ttl?: number;
  /**
   * cache-manager 5 only (`caching(dalliStore, options)` reads it from the same options):
   * milliseconds of TTL left under which `wrap()` refreshes in the background.
   */
  readonly refreshThreshold?: number;
  /** cache-manager 5 only: called when a background refresh of `wrap()` fails. */
  readonly onBackgroundRefreshError?: (error: unknown) => void;
}

/**
 * The options NestJS 10 hands a store factory (`CacheModule.register({ store: dalliStore,
 * servers, ttl })`): this store's options beside NestJS's and cache-manager's own (`store`,
 * `ttl` in milliseconds, `max`, `isCacheableValue`…), which are left to them.
 */
export interface CacheManager5Options extends Omit<DalliStoreOptions, 'ttl'> {
  readonly store: unknown;
  readonly ttl?: number;
  readonly [cacheManagerOption: string]: unknown;
}

/** What the store is built from. */
export interface StoreOptions {
  readonly servers?: string | readonly string[];
  readonly client?: Client;
  readonly clientOptions?: ClientOptions;
  readonly namespace?: string;
  /** Milliseconds; undefined or 0 for no default expiry. */
  readonly ttl?: number;
}

const milliseconds = (value: unknown, least: number): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= least;

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
    milliseconds(value, Number.MIN_VALUE)
      ? undefined
      : `must be a positive number of milliseconds, got ${String(value)}`,
  refreshThreshold: (value) =>
    milliseconds(value, 0) ? undefined : `must be a number of milliseconds, got ${String(value)}`,
  onBackgroundRefreshError: (value) => (typeof value === 'function' ? undefined : 'must be a function'),
};

/**
 * Checks the options of `dalliStore` before anything connects: unknown names, values of the
 * wrong kind, and a `client` given beside `servers` or `clientOptions` (which it would ignore)
 * are refused with `InvalidArgumentError`. Called by NestJS 10 (`store` is `factory`), only this
 * store's own options are checked; the others are NestJS's and cache-manager's.
 */
export function storeOptions(options: DalliStoreOptions | CacheManager5Options, factory: unknown): StoreOptions {
  const fromNest10 = 'store' in options && options.store === factory;
  const own: DalliStoreOptions = fromNest10
    ? {
        servers: options.servers,
        client: options.client,
        clientOptions: options.clientOptions,
        namespace: options.namespace,
      }
    : options;
  for (const [name, value] of Object.entries(own)) {
    const check = checks[name as keyof DalliStoreOptions];
    if (check === undefined) {
      throw new InvalidArgumentError(`dalliStore: unknown option "${name}" (known: ${Object.keys(checks).join(', ')})`);
    }
    const problem = value === undefined ? undefined : check(value);
    if (problem !== undefined) throw new InvalidArgumentError(`dalliStore: option "${name}" ${problem}`);
  }
  if (own.client !== undefined && (own.servers !== undefined || own.clientOptions !== undefined)) {
    throw new InvalidArgumentError(
      'dalliStore: give either "client" or "servers"/"clientOptions", not both (a shared client keeps its own servers and options)',
    );
  }
  if (!fromNest10) return own;
  // cache-manager 5 counts 0 as no expiry.
  const ttl = options.ttl;
  if (ttl !== undefined && !milliseconds(ttl, 0)) {
    throw new InvalidArgumentError(`dalliStore: option "ttl" must be a number of milliseconds, got ${String(ttl)}`);
  }
  return { ...own, ttl: ttl as number | undefined };
}

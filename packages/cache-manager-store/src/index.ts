/**
 * A memcached store for cache-manager 7 and `@nestjs/cache-manager`: {@link dalliStore}.
 *
 * @packageDocumentation
 * @module @dalli/cache-manager
 */
import { Client, type ClientOptions, InvalidArgumentError } from '@dalli/core';
import { KeyvDalliV5 } from '@dalli/keyv';
import Keyv from 'keyv';

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
 * A Keyv 5 instance over memcached, for `createCache({ stores: [dalliStore(...)] })` (cache-manager
 * 7) and `CacheModule.register({ stores: [dalliStore(...)] })` (@nestjs/cache-manager 12). Built
 * with `throwOnErrors`, so a failing memcached rejects instead of passing for a miss wherever Keyv
 * would otherwise hide it.
 */
export function dalliStore(options: DalliStoreOptions = {}): Keyv {
  checkOptions(options);
  const store = new KeyvDalliV5(options.client ?? options.servers, options.clientOptions);
  return new Keyv({ store, namespace: options.namespace ?? 'keyv', ttl: options.ttl, throwOnErrors: true });
}

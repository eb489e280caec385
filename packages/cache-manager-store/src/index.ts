/**
 * A memcached store for cache-manager 7 and `@nestjs/cache-manager`: {@link dalliStore}.
 *
 * @packageDocumentation
 * @module @dalli/cache-manager
 */
import type { Client, ClientOptions } from '@dalli/core';
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

/**
 * A Keyv 5 instance over memcached, for `createCache({ stores: [dalliStore(...)] })` (cache-manager
 * 7) and `CacheModule.register({ stores: [dalliStore(...)] })` (@nestjs/cache-manager 12). Built
 * with `throwOnErrors`, so a failing memcached rejects instead of passing for a miss wherever Keyv
 * would otherwise hide it.
 */
export function dalliStore(options: DalliStoreOptions = {}): Keyv {
  const store = new KeyvDalliV5(options.client ?? options.servers, options.clientOptions);
  return new Keyv({ store, namespace: options.namespace ?? 'keyv', ttl: options.ttl, throwOnErrors: true });
}

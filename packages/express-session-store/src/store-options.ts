import { Client, type ClientOptions, InvalidArgumentError } from '@dalli/core';
import type { SessionData } from 'express-session';
import { type ConnectMemcachedOptions, connectMemcachedClientOptions } from './connect-memcached-sessions.ts';

/** Turns session data into text and back. Default: JSON. */
export interface SessionSerializer {
  stringify(session: SessionData): string;
  parse(text: string): SessionData;
}

/** Seconds, or a function of the session giving seconds. */
export type TtlOption = number | ((session: SessionData) => number);

/** Options of {@link DalliSessionStore}. Any other name is refused with `InvalidArgumentError`. */
export interface DalliSessionStoreOptions {
  /** memcached servers, as `@dalli/core` takes them (default `MEMCACHE_SERVERS`, else 127.0.0.1:11211). */
  readonly servers?: string | readonly string[];
  /**
   * An existing client to share instead of `servers` and `clientOptions`. Create it with
   * `failover: false`: see the README on sessions and failover.
   */
  readonly client?: Client;
  /** Options of the new client. `failover` defaults to false here, unlike the client's own default. */
  readonly clientOptions?: ClientOptions;
  /** Key prefix: a session lives under `<prefix><sid>`; `clear()` drops this prefix only. Default `sess:`. */
  readonly prefix?: string;
  /** Seconds a session lives when its cookie has no expiry (a number, or a function of the session). Default one day. */
  readonly ttl?: TtlOption;
  /** Never extend a session's TTL on unmodified requests (express-session's `touch`). Default false. */
  readonly disableTouch?: boolean;
  /** Store sessions without expiry. Default false. */
  readonly disableTTL?: boolean;
  /** Default JSON. */
  readonly serializer?: SessionSerializer;
  /**
   * Migrating from connect-memcached 3: a session this store lacks is read from connect-memcached's
   * record (its `prefix`, default none) and saved as ours, so nobody is logged out. The store's own
   * client then places keys as `memcached` 2.x and reads its values; a shared `client` must do the
   * same (see the README). Default: off.
   */
  readonly connectMemcached?: ConnectMemcachedOptions;
}

/** The options with their defaults filled in, as the store reads them. */
export interface ResolvedStoreOptions {
  readonly client: Client;
  /** The store created the client, so `close()` closes it. */
  readonly ownsClient: boolean;
  readonly prefix: string;
  readonly ttl: TtlOption | undefined;
  readonly disableTouch: boolean;
  readonly disableTTL: boolean;
  readonly serializer: SessionSerializer;
  readonly connectMemcached: ConnectMemcachedOptions | undefined;
}

type Checks = { readonly [name in keyof Required<DalliSessionStoreOptions>]: (value: unknown) => boolean };

/** What each option accepts; the single list of the store's option names. */
const checks: Checks = {
  servers: (value) => typeof value === 'string' || (Array.isArray(value) && value.every((s) => typeof s === 'string')),
  client: (value) => Client.isClient(value),
  clientOptions: (value) => typeof value === 'object' && value !== null,
  prefix: (value) => typeof value === 'string',
  ttl: (value) => typeof value === 'function' || (typeof value === 'number' && Number.isFinite(value)),
  disableTouch: (value) => typeof value === 'boolean',
  disableTTL: (value) => typeof value === 'boolean',
  serializer: (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SessionSerializer).stringify === 'function' &&
    typeof (value as SessionSerializer).parse === 'function',
  connectMemcached: (value) =>
    typeof value === 'object' &&
    value !== null &&
    ((value as ConnectMemcachedOptions).prefix === undefined ||
      typeof (value as ConnectMemcachedOptions).prefix === 'string'),
};

/**
 * Checks the options and fills in defaults. An unknown name (`hosts`, `host`, `secret`…) or a
 * value of the wrong kind is an error: a misspelt option silently ignored would connect the store
 * to 127.0.0.1:11211 without a word.
 */
export function resolveStoreOptions(options: DalliSessionStoreOptions = {}): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  for (const [name, value] of Object.entries(options)) {
    const check = checks[name as keyof Checks];
    if (check === undefined) {
      throw new InvalidArgumentError(
        `DalliSessionStore: unknown option "${name}" (known: ${Object.keys(checks).join(', ')})`,
      );
    }
    if (value !== undefined && !check(value))
      throw new InvalidArgumentError(`DalliSessionStore: option "${name}" has the wrong type`);
  }
  if (options.client !== undefined && (options.servers !== undefined || options.clientOptions !== undefined)) {
    throw new InvalidArgumentError('DalliSessionStore: give either "client" or "servers"/"clientOptions", not both');
  }
  // A session must never be served stale across processes: its reads bypass any near cache (raw
  // gets), and the store's own client is never given one.
  const near = options.clientOptions?.nearCache;
  if (near !== undefined && near !== false) {
    throw new InvalidArgumentError(
      'DalliSessionStore: clientOptions.nearCache must stay off (sessions are never served stale)',
    );
  }
  const migration = options.connectMemcached === undefined ? {} : connectMemcachedClientOptions;
  return {
    client: options.client ?? new Client(options.servers, { failover: false, ...migration, ...options.clientOptions }),
    ownsClient: options.client === undefined,
    prefix: options.prefix ?? 'sess:',
    ttl: options.ttl,
    disableTouch: options.disableTouch ?? false,
    disableTTL: options.disableTTL ?? false,
    serializer: options.serializer ?? JSON,
    connectMemcached: options.connectMemcached,
  };
}

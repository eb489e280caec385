import type { Client, ClientOptions } from '@dalli/core';

/** Options of {@link dalliDriver}. */
export interface DalliDriverOptions {
  /**
   * A server string or list for a new client (default: `MEMCACHE_SERVERS`, else `127.0.0.1:11211`,
   * as `new Client()`), or an existing {@link Client} to share, which `disconnect()` then leaves open.
   */
  readonly servers?: string | readonly string[] | Client;
  /** Options for the new client; refused beside a shared client, which has its own. */
  readonly clientOptions?: ClientOptions;
  /** The store's key prefix; bentocache sets it from its own `prefix` option (default `'bentocache'`). */
  readonly prefix?: string;
}

import type { Client, ClientOptions } from '@dalli/core';

/** Options of {@link dalliDriver}. */
export interface DalliDriverOptions {
  /**
   * A server string or list for a new client (default: `MEMCACHE_SERVERS`, else `127.0.0.1:11211`,
   * as `new Client()`), or an existing {@link Client} to share, which `dispose()` then leaves open.
   */
  readonly servers?: string | readonly string[] | Client;
  /** Options for the new client; refused beside a shared client, which has its own. */
  readonly clientOptions?: ClientOptions;
  /**
   * First segment of every memcached key the driver writes, so drivers and apps sharing servers
   * stay apart. Default `'unstorage'`.
   */
  readonly base?: string;
  /**
   * Seconds an item lives when `setItem` is given no `ttl` option; 0 means never expire. Default:
   * the client's `expiresIn` (0 unless set).
   */
  readonly ttl?: number;
  /**
   * Milliseconds a process keeps using the generation tokens it read (one per key prefix) before it
   * reads them again: the bound on how late another process's `clear()` is seen. Default 1000, at
   * about no extra server gets per operation; 0 reads the tokens with every operation (in the same
   * round trip), so a clear anywhere is seen by the next read, at one read of up to three keys per
   * prefix per operation.
   */
  readonly refresh?: number;
}

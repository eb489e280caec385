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
  /**
   * Milliseconds a node keeps using the generation tokens it read before it reads them again: the
   * bound on how late another node's `clear()` reaches this node's L2 reads. Default 0: the tokens
   * are read with every operation (in the same round trip), so a clear on one node is seen by the
   * next read on every node, as bentocache's bus expects (the bus clears only the L1). A positive
   * value saves those reads where clears are rare.
   */
  readonly refresh?: number;
}

import { NoServerAvailableError } from '../errors.ts';
import { keyHash, Ring } from './ring.ts';
import type { Server } from './server.ts';

/** Dalli gives up looking for a live server after this many rehashes. */
const FAILOVER_PROBES = 20;

/** Where a key lives, as `Client.locate()` reports it. */
export interface KeyLocation {
  /** The key as sent to memcached (namespaced, maybe shortened). */
  readonly key: string;
  /** CRC32 of the wire key: its place on the ring. */
  readonly hash: number;
  /** The server the ring assigns the key to. */
  readonly server: string;
  /** Where a request for the key would go now: `server`, a failover server while it is down, or undefined. */
  readonly route: string | undefined;
}

/**
 * The servers and the ring: which server a key goes to, with Dalli's failover. One server needs
 * no ring. When a key's server is down and failover is on, the key is rehashed as
 * `CRC32(String(try) + key)` for try 0, 1, 2… up to 20 probes, as Dalli does.
 */
export class Cluster {
  readonly servers: readonly Server[];
  readonly #ring: Ring | undefined;
  readonly #failover: boolean;

  constructor(servers: readonly Server[], failover: boolean) {
    this.servers = servers;
    this.#ring = servers.length > 1 ? new Ring(servers) : undefined;
    this.#failover = failover;
  }

  /** The server a request for `wireKey` goes to; throws {@link NoServerAvailableError} when none is live. */
  route(wireKey: string, operation: string): Server {
    const server = this.#route(wireKey);
    if (server !== undefined) return server;
    if (this.servers.length > 1) {
      throw new NoServerAvailableError('no server available for the key: every server it could use is down', {
        operation,
      });
    }
    // The one server's own failure is the real cause: say it, and chain it.
    const only = this.servers[0] as Server;
    const cause = only.downCause;
    const why = cause === undefined ? '' : ` after: ${cause.detail}`;
    throw new NoServerAvailableError(`no server available for the key: ${only.name} is down${why}`, {
      operation,
      cause,
    });
  }

  /** The server a request for `wireKey` would go to now, or undefined when none is live (no error built). */
  routeIfAny(wireKey: string): Server | undefined {
    return this.#route(wireKey);
  }

  locate(wireKey: string): KeyLocation {
    const hash = keyHash(wireKey);
    return { key: wireKey, hash, server: this.#owner(hash).name, route: this.#route(wireKey)?.name };
  }

  #route(wireKey: string): Server | undefined {
    const ring = this.#ring;
    if (ring === undefined) {
      const only = this.servers[0] as Server;
      return only.available ? only : undefined;
    }
    let server = this.#owner(keyHash(wireKey));
    if (server.available) return server;
    if (!this.#failover) return undefined;
    for (let attempt = 0; attempt < FAILOVER_PROBES - 1; attempt++) {
      server = this.#owner(keyHash(`${attempt}${wireKey}`));
      if (server.available) return server;
    }
    return undefined;
  }

  #owner(hash: number): Server {
    return this.#ring === undefined ? (this.servers[0] as Server) : (this.servers[this.#ring.ownerOf(hash)] as Server);
  }
}

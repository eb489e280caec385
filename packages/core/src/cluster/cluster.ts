import { type DalliError, NoServerAvailableError } from '../errors.ts';
import { hashTagOf } from '../keys/hash-tag.ts';
import { buildRing, checkMemberCount, checkMembers, type Distribution } from './rings/build-ring.ts';
import { buildRingInSlices } from './rings/build-ring-in-slices.ts';
import type { DistributionName, KeyRing } from './rings/key-ring.ts';
import type { Server } from './server.ts';
import { ServersInSlices } from './servers-in-slices.ts';

/** Dalli gives up looking for a live server after this many rehashes. */
const FAILOVER_PROBES = 20;

/**
 * Up to this many servers the first ring is built at once (well under a millisecond or two); a
 * larger fleet's is built in slices while requests wait on `pending`, so `new Client(10,000 servers)`
 * never blocks the event loop for the 0.4 s its ring takes. Past it, a list of plain `host:port`
 * entries has its servers made in slices too ({@link ServersInSlices}).
 */
export const SYNC_RING_MAX = 100;

/** Where a key lives, as `Client.locate()` reports it. */
export interface KeyLocation {
  /** The key as sent to memcached (namespaced, maybe shortened). */
  readonly key: string;
  /**
   * The key's hash under `distribution` (CRC32 for Dalli's ring, MD5 for ketama…): its place on the
   * ring. With `hashTag`, the hash of the key's tag when it has one.
   */
  readonly hash: number;
  /** The placement in use (the `distribution` option). */
  readonly distribution: DistributionName;
  /** The server the ring assigns the key to. */
  readonly server: string;
  /** Where a request for the key would go now: `server`, a failover server while it is down, or undefined. */
  readonly route: string | undefined;
}

/**
 * The servers and the ring: which server a key goes to, with Dalli's failover whatever the
 * placement. One server takes every key. When a key's server is down and failover is on, the key
 * is rehashed as `hash(String(try) + key)` for try 0, 1, 2… up to 20 probes, as Dalli does (CRC32
 * for Dalli's ring; the placement's own hash for the others). With a `hashTag`, a tagged key is
 * placed, and rehashed, by its tag alone, so keys sharing a tag fail over together.
 */
export class Cluster {
  #servers: readonly Server[];
  /** A fleet's servers while they are made in slices: `servers` makes the rest at once if read first. */
  #unmade: ServersInSlices | undefined;
  #ring: KeyRing | undefined;
  readonly #failover: boolean;
  readonly #distribution: Distribution;
  readonly #hashTag: string | undefined;
  /**
   * While the first discovered server list, or a large fleet's first ring, is awaited: requests
   * wait for it rather than fail on a cluster that is not known yet.
   */
  pending: Promise<void> | undefined;
  /**
   * The last discovery read's failure, until a read succeeds: why a cluster that discovery has not
   * filled has no server (the cause of its NoServerAvailableError).
   */
  discoveryError: DalliError | undefined;
  /** The servers and ring before the last change, and when it happened: where a warm-up reads moved keys. */
  #previous: { servers: readonly Server[]; ring: KeyRing; at: number } | undefined;

  constructor(
    servers: readonly Server[] | ServersInSlices,
    failover: boolean,
    distribution: Distribution = 'dalli',
    hashTag?: string,
  ) {
    this.#servers = servers instanceof ServersInSlices ? [] : servers;
    this.#hashTag = hashTag;
    this.#distribution = distribution;
    this.#failover = failover;
    if (servers instanceof ServersInSlices || servers.length > SYNC_RING_MAX) this.#buildFirstRing(servers);
    else this.#ring = servers.length === 0 ? undefined : buildRing(distribution, servers);
  }

  /**
   * A fleet's first ring, and its servers when not made yet, in slices; bad servers still throw
   * from the constructor, before any work.
   */
  #buildFirstRing(servers: readonly Server[] | ServersInSlices): void {
    let made: Promise<readonly Server[]>;
    if (servers instanceof ServersInSlices) {
      // Plain host:port[:weight] servers pass every placement's checks but the count of names
      // (memjs, which has no weights, is given weighted ones only through checkMembers).
      checkMemberCount(this.#distribution, servers.count);
      this.#unmade = servers;
      made = servers.inSlices().then((all) => {
        if (this.#unmade === servers) {
          this.#servers = all;
          this.#unmade = undefined;
        }
        return all;
      });
    } else {
      checkMembers(this.#distribution, servers);
      made = Promise.resolve(servers);
    }
    const built = made
      .then(async (members) => {
        // A ring built meanwhile (locate() asked for one) or a newer server list wins.
        const current = (): boolean => this.#servers === members && this.#ring === undefined;
        if (!current()) return;
        const ring = await buildRingInSlices(this.#distribution, members);
        if (current()) this.#ring = ring;
      })
      .finally(() => {
        if (this.pending === built) this.pending = undefined;
      });
    // Requests awaiting it see a failure; nobody awaiting it is no unhandled rejection.
    built.catch(() => undefined);
    this.pending = built;
  }

  /** The ring, built now if the first one is still being built in slices (a synchronous caller asked). */
  #currentRing(): KeyRing | undefined {
    if (this.#ring === undefined && this.servers.length > 0) this.#ring = buildRing(this.#distribution, this.#servers);
    return this.#ring;
  }

  /** The servers, in ring order; a fleet's not made yet in slices are made now. */
  get servers(): readonly Server[] {
    const unmade = this.#unmade;
    if (unmade !== undefined) {
      this.#servers = unmade.all();
      this.#unmade = undefined;
    }
    return this.#servers;
  }

  /** How keys are placed: the ring every change of servers is built for. */
  get distribution(): Distribution {
    return this.#distribution;
  }

  /** The ring in use, undefined while the cluster has no server. */
  get ring(): KeyRing | undefined {
    return this.#ring;
  }

  /**
   * Switches to `servers` and their ring in one step: requests routed from now on use it; those
   * already sent finish where they went. `ring` is theirs when built beforehand (in slices, off the
   * request path), else built now. Returns the ring before and after (undefined when empty).
   */
  replace(
    servers: readonly Server[],
    ring: KeyRing | undefined = servers.length === 0 ? undefined : buildRing(this.#distribution, servers),
  ): { before: KeyRing | undefined; after: KeyRing | undefined } {
    const before = this.#ring;
    const after = ring;
    if (before !== undefined) this.#previous = { servers: this.#servers, ring: before, at: Date.now() };
    this.#servers = servers;
    this.#unmade = undefined;
    this.#ring = after;
    return { before, after };
  }

  /** The server a request for `wireKey` goes to; throws {@link NoServerAvailableError} when none is live. */
  route(wireKey: string, operation: string): Server {
    const server = this.#route(wireKey);
    if (server !== undefined) return server;
    throw this.#unroutable(wireKey, operation);
  }

  /** The server a request for `wireKey` would go to now, or undefined when none is live (no error built). */
  routeIfAny(wireKey: string): Server | undefined {
    return this.#route(wireKey);
  }

  /** The server the ring assigns `wireKey` to, up or down; undefined while the cluster has no server. */
  owner(wireKey: string): Server | undefined {
    const ring = this.#currentRing();
    return ring === undefined ? undefined : this.#owner(ring.hash(this.#routingKey(wireKey)));
  }

  /**
   * The server that owned `wireKey` before the last change of servers, if that was less than
   * `windowMs` ago, it is still a member, and the key has moved since; else undefined.
   */
  previousOwner(wireKey: string, windowMs: number): Server | undefined {
    const previous = this.#previous;
    const ring = this.#ring;
    if (previous === undefined || ring === undefined || Date.now() - previous.at > windowMs) return undefined;
    const key = this.#routingKey(wireKey);
    const before = previous.servers[previous.ring.ownerOf(previous.ring.hash(key))];
    if (before === undefined || before === this.#owner(ring.hash(key))) return undefined;
    return this.#servers.includes(before) ? before : undefined;
  }

  locate(wireKey: string): KeyLocation {
    const ring = this.#currentRing();
    if (ring === undefined) throw this.#emptyError('', 'locate');
    const hash = ring.hash(this.#routingKey(wireKey));
    const server = this.#owner(hash).name;
    return { key: wireKey, hash, distribution: ring.distribution, server, route: this.#route(wireKey)?.name };
  }

  /** Why no server takes `wireKey`, with the failures behind it as the cause. */
  #unroutable(wireKey: string, operation: string): NoServerAvailableError {
    const prefix = 'no server available for the key: ';
    const ring = this.#currentRing();
    if (ring === undefined) return this.#emptyError(prefix, operation);
    if (this.#servers.length === 1 || !this.#failover) {
      // Only the key's own server was tried: its failure is the real cause; say it, and chain it.
      const owner = this.#owner(ring.hash(this.#routingKey(wireKey)));
      const cause = owner.downCause;
      const why = cause === undefined ? '' : ` after: ${cause.detail}`;
      return new NoServerAvailableError(`${prefix}${owner.name} is down${why}`, { operation, cause });
    }
    const causes = downCauses(this.#servers);
    const first = causes[0];
    const more = causes.length > 1 ? ` and ${causes.length - 1} more in cause.errors` : '';
    const why = first === undefined ? '' : ` (last error: ${first.message}${more})`;
    return new NoServerAvailableError(`${prefix}every server it could use is down${why}`, {
      operation,
      cause: first === undefined ? undefined : new AggregateError(causes, "the down servers' last errors"),
    });
  }

  /** The error of a request for every server while the cluster has none (stats, version, flush). */
  noServers(operation: string): NoServerAvailableError {
    return this.#emptyError('', operation);
  }

  /** The cluster has no server: say why when discovery knows (its last failed read). */
  #emptyError(prefix: string, operation: string): NoServerAvailableError {
    const cause = this.discoveryError;
    const why = cause === undefined ? '' : ` (discovery failed: ${cause.message})`;
    return new NoServerAvailableError(`${prefix}the cluster has no server${why}`, { operation, cause });
  }

  /** What the ring hashes for `wireKey`: the key, or its hash tag. */
  #routingKey(wireKey: string): string {
    return this.#hashTag === undefined ? wireKey : hashTagOf(wireKey, this.#hashTag);
  }

  #route(wireKey: string): Server | undefined {
    const ring = this.#currentRing();
    if (ring === undefined) return undefined;
    if (this.servers.length === 1) {
      const only = this.servers[0] as Server;
      return only.available ? only : undefined;
    }
    const key = this.#routingKey(wireKey);
    let server = this.#owner(ring.hash(key));
    if (server.available) return server;
    if (!this.#failover) return undefined;
    for (let attempt = 0; attempt < FAILOVER_PROBES - 1; attempt++) {
      server = this.#owner(ring.hash(`${attempt}${key}`));
      if (server.available) return server;
    }
    return undefined;
  }

  #owner(hash: number): Server {
    const servers = this.#servers;
    return servers.length === 1 ? (servers[0] as Server) : (servers[(this.#ring as KeyRing).ownerOf(hash)] as Server);
  }
}

/** Each down server's last failure, once per distinct message (a few lines, not one per server). */
function downCauses(servers: readonly Server[]): DalliError[] {
  const byMessage = new Map<string, DalliError>();
  for (const server of servers) {
    const cause = server.downCause;
    if (cause !== undefined && !byMessage.has(cause.message)) byMessage.set(cause.message, cause);
  }
  return [...byMessage.values()];
}

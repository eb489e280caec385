import { checkDistribution, type Distribution } from '../cluster/rings/build-ring.ts';
import { InvalidArgumentError } from '../errors.ts';

/**
 * A named set of servers with its own placement (`pools` option). The client's own `servers` are
 * the pool named `'main'`. Every pool speaks the client's dialect, with its credentials, TLS and
 * timeouts.
 */
export interface PoolOptions {
  /** The pool's servers, in the forms the client's `servers` take. */
  readonly servers: string | readonly string[];
  /** How keys are placed on this pool's servers. Default: the client's `distribution`. */
  readonly distribution?: Distribution | undefined;
  /**
   * Rehash a key whose server is down onto another server of this pool (Dalli's failover). Default
   * false for every pool of a client with `routes` (the 'main' pool included, unless the client's
   * `failover` option is given): a route, not a rehash, decides where a dead server's keys go.
   */
  readonly failover?: boolean | undefined;
  /** The pool's zone, for a `zoneFailover` route's `local`. */
  readonly zone?: string | undefined;
}

/** A route: a pool's name, or one of the route objects, which nest. */
export type RouteConfig =
  | string
  | FailoverRouteConfig
  | TtlRouteConfig
  | AllRouteConfig
  | ZoneFailoverRouteConfig
  | WarmUpRouteConfig
  | ShadowRouteConfig;

/**
 * Tries its children in order: the next one when a request fails for want of a server (down,
 * refused, timed out, overloaded), or, with `miss`, when a read misses. Writes and deletes that
 * went around a dead server are remembered until that server's copy is invalidated, and deletes
 * go to every child, so a failover never leaves a stale copy behind (memcached proxy
 * `route_failover`).
 */
export interface FailoverRouteConfig {
  readonly route: 'failover';
  readonly children: readonly RouteConfig[];
  /** Also fail over when a read misses (warm-up and migration). Default false: only on errors. */
  readonly miss?: boolean | undefined;
  /** At most this many failovers per request. Default: through every child. */
  readonly failoverCount?: number | undefined;
}

/** Clamps the TTL of the writes (and touches) it passes on to at most `ttl` seconds (proxy `route_ttl`). */
export interface TtlRouteConfig {
  readonly route: 'ttl';
  /** Seconds, more than 0. A write with no TTL (never expire) or a longer one gets this one. */
  readonly ttl: number;
  readonly child: RouteConfig;
}

/**
 * To every child at once. `allSync` answers when all have, with the first child's answer, and fails
 * if any failed; `allAsync` answers with the first child's answer and lets the others finish in the
 * background (their failures on `dalli:route`); `allFastest` answers with the first child that
 * answers without an error.
 */
export interface AllRouteConfig {
  readonly route: 'allSync' | 'allAsync' | 'allFastest';
  readonly children: readonly RouteConfig[];
}

/**
 * Zone-local first: the request goes to the pool of zone `local`; when that fails (or misses,
 * with `miss`), to every other child at once, the first hit winning (proxy `route_zfailover`).
 */
export interface ZoneFailoverRouteConfig {
  readonly route: 'zoneFailover';
  /** Pool names, each with a `zone`. */
  readonly children: readonly string[];
  /** The zone this process runs in: the child whose pool has this zone goes first. */
  readonly local: string;
  /** Also go to the far zones when the local one misses. Default true. */
  readonly miss?: boolean | undefined;
}

/**
 * Warms a pool after its servers changed (scale-out) or a new pool from an old one: a read that
 * misses on `child` is read from the key's previous server (its owner before the last change of
 * `child`'s servers, for `window` seconds) or from pool `from`, and a hit is written to `child`.
 * Writes and deletes also remove the key from where a later warm-up would read it.
 */
export interface WarmUpRouteConfig {
  readonly route: 'warmUp';
  /** The pool being warmed. */
  readonly child: string;
  /** A pool to warm from; default: the child's previous ring. */
  readonly from?: string | undefined;
  /** Seconds a warmed copy lives when the dialect cannot tell the TTL left. Default: the client's `expiresIn`. */
  readonly ttl?: number | undefined;
  /** Seconds after a change of servers that moved keys are read from their previous server. Default 3600. */
  readonly window?: number | undefined;
}

/**
 * Sends the request to `child`, and a sampled share of requests also to `shadow`, whose answers
 * are compared with the child's (mismatches counted, on `dalli:route`) and never reach the caller.
 */
export interface ShadowRouteConfig {
  readonly route: 'shadow';
  readonly child: RouteConfig;
  readonly shadow: RouteConfig;
  /** The share of requests shadowed, 0 to 1. */
  readonly rate: number;
}

/**
 * Which route each kind of operation takes (`routes` option). A command's own name (`set`, `get`,
 * `delete`, …) wins over its kind; `default` takes the rest. Without `routes`, every operation goes
 * to the 'main' pool as it always has.
 */
export interface RoutesOption {
  /** Reads: get, gets, gat, gats, getWithMetadata, getMulti's keys. */
  readonly read?: RouteConfig | undefined;
  /** Writes: set, add, replace, append, prepend, cas, incr, decr, touch, setMulti's keys. */
  readonly write?: RouteConfig | undefined;
  /** delete, invalidate, deleteMulti's keys. Default: the write route, with a delete's fan-out. */
  readonly delete?: RouteConfig | undefined;
  /** fetch's lease reads (meta). Default: the read route. */
  readonly lease?: RouteConfig | undefined;
  readonly default?: RouteConfig | undefined;
  /** A command by its name (e.g. `set`, `add`, `incr`). */
  readonly [command: string]: RouteConfig | undefined;
}

/** The pool's options, checked: a mistake is an InvalidArgumentError naming the pool and the option. */
export function checkPoolOptions(name: string, pool: unknown): PoolOptions {
  const where = `option "pools.${name}"`;
  if (name === 'main') throw new InvalidArgumentError(`${where}: 'main' is the client's own servers`);
  if (typeof pool !== 'object' || pool === null) throw new InvalidArgumentError(`${where} must be an object`);
  const { servers, distribution, failover, zone, ...rest } = pool as PoolOptions;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new InvalidArgumentError(`${where} has an unknown option "${unknown}"`);
  const list = typeof servers === 'string' ? [servers] : servers;
  if (!Array.isArray(list) || list.length === 0 || list.some((entry) => typeof entry !== 'string')) {
    throw new InvalidArgumentError(`${where}.servers must be a server or a non-empty list of them`);
  }
  if (distribution !== undefined) checkDistribution(distribution);
  if (failover !== undefined && typeof failover !== 'boolean') {
    throw new InvalidArgumentError(`${where}.failover must be true or false`);
  }
  if (zone !== undefined && (typeof zone !== 'string' || zone === '')) {
    throw new InvalidArgumentError(`${where}.zone must be a non-empty string`);
  }
  return pool as PoolOptions;
}

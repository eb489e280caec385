/**
 * The shapes of the `@dalli/core` diagnostics messages this package reads, declared here by
 * structure so that it needs `@dalli/core` neither at run time nor in its published types: the
 * channels are found by name through `node:diagnostics_channel`.
 */

/** The `dalli:command` tracing channel: one operation, start to settle. */
export const COMMAND_CHANNEL = 'dalli:command';
export const FETCH_CHANNEL = 'dalli:fetch';
export const SERVER_DOWN_CHANNEL = 'dalli:server:down';
export const LOCAL_CACHE_HIT_CHANNEL = 'dalli:local-cache:hit';
export const ROUTE_CHANNEL = 'dalli:route';

/** What `dalli:command` publishes (core's `CommandContext`); never a value. */
export interface CommandMessage {
  readonly client: object;
  readonly operation: string;
  readonly protocol?: string;
  readonly key?: string;
  readonly keyCount?: number;
  readonly servers: readonly string[];
  readonly attempts?: number;
  readonly hit?: boolean;
  readonly hits?: number;
  readonly misses?: number;
  readonly error?: unknown;
}

/** What `dalli:route` publishes (core's `RouteEventMessage`): a route's failover, journal, shadow or warm-up event. */
export interface RouteMessage {
  readonly client: object;
  readonly event: string;
  /** The pool or server it concerns, when one. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** What `dalli:fetch` publishes: a stampede decision of `fetch` (leaseWon, staleServed…). */
export interface FetchMessage {
  readonly client: object;
  readonly key: string;
  readonly event: string;
}

/** What `dalli:server:down` publishes (the parts read here). */
export interface ServerMessage {
  readonly client: object;
  readonly server: string;
}

/** What `dalli:local-cache:hit` publishes: a read inside `withLocalCache` answered from memory. */
export interface LocalCacheHitMessage {
  readonly client: object;
}

/** What the gauges read from a client on each collection: `Client#servers()`. */
export interface ServerHealth {
  readonly name: string;
  readonly up: boolean;
  readonly connected: boolean;
  /** Requests sent and not yet answered. */
  readonly inFlight: number;
}

/** What the near-cache figures read from a client on each collection: `Client#nearCacheStats()`. */
export interface NearCacheFigures {
  readonly hits: number;
  readonly misses: number;
  /** Meta revalidations that kept the local value, and those that found another CAS. */
  readonly unchanged: number;
  readonly changed: number;
  readonly evictions: number;
  readonly rejections: number;
  readonly drops: number;
  readonly entries: number;
  readonly bytes: number;
}

/** The part of a `@dalli/core` `Client` this package uses: the channels name it, and its health is read. */
export interface ObservedClient {
  servers(): readonly ServerHealth[];
  /** Undefined (or absent, for an older core) while the client has no near cache. */
  nearCacheStats?(): NearCacheFigures | undefined;
}

/** The `code` of a dalli error (`ERR_DALLI_TIMEOUT`…), else the error's class name, else `_OTHER`. */
export function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return '_OTHER';
}

/** The code core's `TimeoutError` carries. */
export const TIMEOUT_CODE = 'ERR_DALLI_TIMEOUT';

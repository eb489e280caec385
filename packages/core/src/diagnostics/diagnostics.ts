import { type Channel, channel, type TracingChannel, tracingChannel } from 'node:diagnostics_channel';
import type { RingDiff } from '../cluster/ring-diff.ts';
import type { AuthError, DalliError } from '../errors.ts';

/**
 * Every diagnostics channel the client publishes to, created here and nowhere else. APM tools
 * subscribe by name (`diagnostics_channel.subscribe('dalli:server:down', ...)`) without patching
 * anything; publishing is skipped entirely while nobody listens. Messages name the client they
 * come from and the server, never a value or a credential.
 */

/** A socket to a server is ready for requests (after TLS and SASL). */
export interface ConnectionConnectMessage {
  readonly client: object;
  readonly server: string;
}

/** A socket closed: cleanly (no error) or because it failed. */
export interface ConnectionCloseMessage {
  readonly client: object;
  readonly server: string;
  readonly error: DalliError | undefined;
}

/**
 * A server was marked down: after `socketMaxFailures` consecutive failures, or ejected by
 * `health.eject` for slow replies or failing requests.
 */
export interface ServerDownMessage {
  readonly client: object;
  readonly server: string;
  /** The failure that marked it down (a `TimeoutError` naming the threshold, for a latency ejection). */
  readonly error: DalliError;
  /** Broken connections in a row (0 or more for an ejection). */
  readonly failures: number;
  /** `failures` (broken connections), `latency` or `errors` (ejections). */
  readonly reason: 'failures' | 'latency' | 'errors';
  /**
   * Milliseconds before it is probed again: 1,000 for a fresh outage (`downRetryDelay` if shorter);
   * a flapping server's hold-down (`health.flapTime × flapBackoffRamp^(flaps − 1)`, at most `flapBackoffMax`).
   */
  readonly retryDelay: number;
  /** Times in a row it went down within `health.flapTime` of coming back up, this time included; 0: not flapping. */
  readonly flaps: number;
}

/**
 * A server's connection reached `maxQueued` requests: this request and those after it are refused
 * with an OverloadedError until the queue drains below the cap. Published once per such episode.
 */
export interface ServerOverloadedMessage {
  readonly client: object;
  readonly server: string;
  /** Requests on the connection: sent and awaiting replies, plus queued behind them. */
  readonly queued: number;
}

/** A down server answered again. */
export interface ServerUpMessage {
  readonly client: object;
  readonly server: string;
  /** Milliseconds it was down. */
  readonly downtime: number;
}

/** A server refused authentication (the error names neither user nor password). */
export interface AuthFailureMessage {
  readonly client: object;
  readonly server: string;
  readonly error: AuthError;
  /** Milliseconds before the next login attempt: 1,000 after the first refusal, doubling up to 30,000. */
  readonly retryDelay: number;
}

/** The cluster's servers changed (`setServers` or discovery); published once the new ring is in use. */
export interface ClusterChangeMessage {
  readonly client: object;
  /** What asked for the change: `setServers`, `config` (auto-discovery), `dns` or `srv`. */
  readonly source: string;
  /** The servers now in the ring, in ring order. */
  readonly servers: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Share (0…1) of the key space that now belongs to another server. */
  readonly movedShare: number;
  /** The whole diff: ask it whether a given wire key moved, and from where to where. */
  readonly diff: RingDiff;
}

/**
 * A discovery read failed, wholly (endpoint unreachable, malformed reply, more servers than
 * `discoveryMaxNodes`: the last good list stays) or in part (an AAAA query refused while A answered:
 * the rest of the answer is applied).
 */
export interface DiscoveryErrorMessage {
  readonly client: object;
  /** `config`, `dns` or `srv`. */
  readonly source: string;
  /** The configuration endpoint (`host:port`) or the DNS name asked. */
  readonly target: string;
  readonly error: DalliError;
  /** True when only this part failed and the rest of the answer was applied; false when the last good list stays. */
  readonly applied: boolean;
}

/**
 * The context of one operation, published on the `dalli:command` tracing channel (start, end,
 * asyncStart, asyncEnd, error). Fields after `servers` are filled in when the operation settles.
 * It never holds a value: not the one written, not the one read.
 */
export interface CommandContext {
  /** The client it ran on. */
  readonly client: object;
  /** `get`, `set`, `getMulti`, `stats`… */
  readonly operation: string;
  /** The dialect it is spoken in: `binary`, `meta` or `text`. */
  readonly protocol?: string;
  /** The caller's key, for single-key operations. */
  readonly key?: string;
  /** How many keys, for multi-key operations. */
  readonly keyCount?: number;
  /** The servers it was sent to (each once): a single-key operation that failed over names two. */
  servers: string[];
  /** Single-key operations: times the request was sent, once it settles (more than 1: it was retried). */
  attempts?: number;
  /** For multi-key operations: how many of the keys went to each server. */
  keysPerServer?: Record<string, number>;
  /** Single-key reads: whether the key was found. */
  hit?: boolean;
  /** Multi-key reads: keys found and keys missing. */
  hits?: number;
  misses?: number;
  /** Value bytes written (writes) or read (reads), as they travel (after serialization and compression). */
  bytes?: number;
  /** Set when it failed: the typed error. */
  error?: unknown;
}

/**
 * What `fetch` did about a stampede, on `dalli:fetch`: `coalesced` (joined a running fetch in this
 * process), `leaseWon` / `leaseLost` (meta `W` / `Z` on a miss or stale item), `lockWon` /
 * `lockLost` (the binary/text `add` lock), `staleServed`, `refresh` (won an early recompute),
 * `wait` (polled for another's value), `waitTimeout`, `fillRefused` (the winner's CAS write lost
 * to an invalidation or delete), `computeError`.
 */
export interface FetchEventMessage {
  readonly client: object;
  readonly key: string;
  readonly event: FetchEvent;
}
export type FetchEvent =
  | 'coalesced'
  | 'leaseWon'
  | 'leaseLost'
  | 'lockWon'
  | 'lockLost'
  | 'staleServed'
  | 'refresh'
  | 'wait'
  | 'waitTimeout'
  | 'fillRefused'
  | 'computeError';

/** A read inside a local-cache scope (`withLocalCache`) was answered from memory, on `dalli:local-cache:hit`. */
export interface LocalCacheHitMessage {
  readonly client: object;
  readonly key: string;
}

export const commandChannel: TracingChannel<CommandContext> = tracingChannel('dalli:command');
// Bun 1.4's TracingChannel lacks `hasSubscribers` (Node has it since 20.13): without it the client
// would never trace there. It is true when any of the five channels has a subscriber, as in Node.
if (typeof commandChannel.hasSubscribers !== 'boolean') {
  const { start, end, asyncStart, asyncEnd, error } = commandChannel;
  Object.defineProperty(commandChannel, 'hasSubscribers', {
    get: () =>
      start.hasSubscribers ||
      end.hasSubscribers ||
      asyncStart.hasSubscribers ||
      asyncEnd.hasSubscribers ||
      error.hasSubscribers,
  });
}

/** One operation as the `dalli:command` tracing channel runs it (see {@link traceOperation}). */
export interface TracedOperation<T> {
  readonly context: CommandContext;
  /** Sends it; a synchronous throw is published as its error and rethrown. */
  run(): Promise<T>;
  /** On success, before `asyncStart`: records what subscribers may see of the result (hit, bytes). */
  settle(result: T): void;
  /** On success and failure alike, before `asyncStart`. */
  settled(): void;
}

/**
 * Runs `traced` under the `dalli:command` tracing channel, as `TracingChannel#tracePromise`
 * would, except that the result is not put on the context (it is a cached value). One object per
 * operation carries its steps, rather than a closure per step: this runs for every operation
 * while anyone subscribes. Called only while someone subscribes.
 */
export function traceOperation<T>(traced: TracedOperation<T>): Promise<T> {
  return commandChannel.start.runStores(traced.context, startTraced<T>, undefined, traced);
}

function startTraced<T>(traced: TracedOperation<T>): Promise<T> {
  const context = traced.context;
  let pending: Promise<T>;
  try {
    pending = traced.run();
  } catch (thrown) {
    context.error = thrown;
    commandChannel.error.publish(context);
    throw thrown;
  } finally {
    commandChannel.end.publish(context);
  }
  return pending.then(
    (result) => {
      traced.settle(result);
      finishTraced(traced);
      return result;
    },
    (failure: unknown) => {
      context.error = failure;
      commandChannel.error.publish(context);
      finishTraced(traced);
      throw failure;
    },
  );
}

function finishTraced<T>(traced: TracedOperation<T>): void {
  traced.settled();
  commandChannel.asyncStart.publish(traced.context);
  commandChannel.asyncEnd.publish(traced.context);
}

/**
 * {@link traceOperation} with the steps as functions: `settle` records what subscribers may see
 * of the result, `settled`, if given, runs on success and failure alike, before `asyncStart`.
 */
export function traceCommand<T>(
  context: CommandContext,
  operation: () => Promise<T>,
  settle: (result: T, context: CommandContext) => void,
  settled?: () => void,
): Promise<T> {
  return traceOperation({
    context,
    run: operation,
    settle: (result) => settle(result, context),
    settled: () => settled?.(),
  });
}

export const connectionConnectChannel: Channel = channel('dalli:connection:connect');
export const connectionCloseChannel: Channel = channel('dalli:connection:close');
export const serverDownChannel: Channel = channel('dalli:server:down');
export const serverUpChannel: Channel = channel('dalli:server:up');
export const serverOverloadedChannel: Channel = channel('dalli:server:overloaded');
export const authFailureChannel: Channel = channel('dalli:auth:failure');
export const fetchChannel: Channel = channel('dalli:fetch');
export const clusterChangeChannel: Channel = channel('dalli:cluster:change');
export const discoveryErrorChannel: Channel = channel('dalli:discovery:error');
/** Near-cache events (`NearCacheEventMessage`, near-cache/near-cache-events.ts) and hot-key reports (`HotKeyMessage`). */
export const nearCacheChannel: Channel = channel('dalli:near-cache');
export const hotKeyChannel: Channel = channel('dalli:hotkey');
export const localCacheHitChannel: Channel = channel('dalli:local-cache:hit');
/** Routing events (`RouteEventMessage`, routing/route-events.ts): failovers, background failures, shadow mismatches, warm-ups. */
export const routeChannel: Channel = channel('dalli:route');

/** Publishes `message()` on `target` only if someone listens, so building it costs nothing otherwise. */
export function publish<M>(target: Channel, message: () => M): void {
  if (target.hasSubscribers) target.publish(message());
}

import { channel, tracingChannel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import {
  COMMAND_CHANNEL,
  type CommandMessage,
  errorType,
  FETCH_CHANNEL,
  type FetchMessage,
  LOCAL_CACHE_HIT_CHANNEL,
  type LocalCacheHitMessage,
  SERVER_DOWN_CHANNEL,
  type ServerMessage,
} from './channel-messages.ts';

/** One settled operation of the observed client, reduced to what metrics may carry (no key). */
export interface OperationRecord {
  readonly operation: string;
  /** The server that answered, when exactly one did (a multi-server operation has none). */
  readonly server: string | undefined;
  /** `hit` / `miss` for single-key reads, `error` when it failed, else `ok`. */
  readonly outcome: 'hit' | 'miss' | 'ok' | 'error';
  /** The error's `code` when it failed (`ERR_DALLI_TIMEOUT`…). */
  readonly errorType: string | undefined;
  readonly durationSeconds: number;
  /** Keys found and missing (single-key reads count 1). */
  readonly hits: number;
  readonly misses: number;
  /** Sends after the first (single-key operations). */
  readonly retries: number;
  /** True when a single-key operation was answered by another server than the first it went to. */
  readonly failedOver: boolean;
}

/** What an observer is told. */
export interface OperationSink {
  operation(record: OperationRecord): void;
  /** A `fetch` stampede decision: `leaseWon`, `leaseLost`, `staleServed`, `coalesced`… */
  fetch(event: string): void;
  serverDown(server: string): void;
  /** A read inside a local-cache scope answered from memory, without a request. */
  localCacheHit(): void;
}

/**
 * Operations in flight past which the start times are dropped. Core publishes `asyncEnd` for
 * every `start` (a synchronous failure becomes a rejection first), so this only bounds memory
 * should that ever change; no client has this many operations in flight.
 */
export const MAX_IN_FLIGHT = 100_000;

/**
 * Subscribes `sink` to one client's diagnostics channels and returns the unsubscribe. Each
 * operation costs one start time, kept in a Map until it settles (a Map entry deleted at once is
 * cheaper for the GC than a WeakMap's); with nothing subscribed, core skips publishing entirely.
 */
export function observeOperations(client: object, sink: OperationSink): () => void {
  const started = new Map<object, number>();
  const commands = tracingChannel<CommandMessage>(COMMAND_CHANNEL);
  const handlers = {
    start(message: CommandMessage) {
      if (message.client !== client) return;
      if (started.size >= MAX_IN_FLIGHT) started.clear();
      started.set(message, performance.now());
    },
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd(message: CommandMessage) {
      const at = started.get(message);
      if (at === undefined) return;
      started.delete(message);
      sink.operation(operationRecord(message, (performance.now() - at) / 1000));
    },
  };
  const onFetch = (message: unknown): void => {
    const fetch = message as FetchMessage;
    if (fetch.client === client) sink.fetch(fetch.event);
  };
  const onDown = (message: unknown): void => {
    const down = message as ServerMessage;
    if (down.client === client) sink.serverDown(down.server);
  };
  const onLocalHit = (message: unknown): void => {
    if ((message as LocalCacheHitMessage).client === client) sink.localCacheHit();
  };
  const plain = [
    [FETCH_CHANNEL, onFetch],
    [SERVER_DOWN_CHANNEL, onDown],
    [LOCAL_CACHE_HIT_CHANNEL, onLocalHit],
  ] as const;
  commands.subscribe(handlers);
  for (const [name, listener] of plain) channel(name).subscribe(listener);
  return () => {
    commands.unsubscribe(handlers);
    for (const [name, listener] of plain) channel(name).unsubscribe(listener);
  };
}

/** The record of a settled operation. */
export function operationRecord(message: CommandMessage, durationSeconds: number): OperationRecord {
  const failed = message.error !== undefined;
  const attempts = message.attempts ?? 1;
  const single = message.key !== undefined;
  let outcome: OperationRecord['outcome'] = failed ? 'error' : 'ok';
  if (!failed && message.hit !== undefined) outcome = message.hit ? 'hit' : 'miss';
  return {
    operation: message.operation,
    server: single ? message.servers[message.servers.length - 1] : onlyServer(message.servers),
    outcome,
    errorType: failed ? errorType(message.error) : undefined,
    durationSeconds,
    hits: message.hit === true ? 1 : (message.hits ?? 0),
    misses: message.hit === false ? 1 : (message.misses ?? 0),
    retries: attempts > 1 ? attempts - 1 : 0,
    failedOver: single && message.servers.length > 1,
  };
}

function onlyServer(servers: readonly string[]): string | undefined {
  return servers.length === 1 ? servers[0] : undefined;
}

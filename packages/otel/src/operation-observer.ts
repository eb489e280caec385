import { channel, tracingChannel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import {
  COMMAND_CHANNEL,
  type CommandMessage,
  FETCH_CHANNEL,
  type FetchMessage,
  LOCAL_CACHE_HIT_CHANNEL,
  type LocalCacheHitMessage,
  ROUTE_CHANNEL,
  type RouteMessage,
  SERVER_DOWN_CHANNEL,
  type ServerMessage,
} from './channel-messages.ts';
import type { ClientScope } from './client-scope.ts';

/** What an observer is told. Each call gets core's own message: nothing is copied per operation. */
export interface OperationSink {
  /** A settled operation of the observed client, and its duration in seconds. */
  operation(message: CommandMessage, durationSeconds: number): void;
  /** A `fetch` stampede decision: `leaseWon`, `leaseLost`, `staleServed`, `coalesced`… */
  fetch(event: string): void;
  serverDown(server: string): void;
  /** A read inside a local-cache scope answered from memory, without a request. */
  localCacheHit(): void;
  /** A routing event (`routes` option): `failover`, `journal`, `invalidate`, `shadow-mismatch`, `warm-hit`… */
  route(event: string): void;
}

/**
 * Subscribes `sink` to the diagnostics channels of the clients in `scope` and returns the unsubscribe. An
 * operation's start time rides on core's message under a symbol of this observer (invisible to
 * `Object.keys`, JSON and other subscribers), so observing one costs a clock read at each end and
 * no allocation: no Map entry to add and remove, nothing to bound, nothing left behind should an
 * end never come. With nothing subscribed, core skips publishing entirely.
 */
export function observeOperations(scope: ClientScope, sink: OperationSink): () => void {
  const started = Symbol('dalli.otel.started');
  const commands = tracingChannel<CommandMessage>(COMMAND_CHANNEL);
  const handlers = {
    start(message: CommandMessage) {
      if (scope.accepts(message.client)) (message as unknown as Record<symbol, number>)[started] = performance.now();
    },
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd(message: CommandMessage) {
      const at = (message as unknown as Record<symbol, number | undefined>)[started];
      if (at !== undefined) sink.operation(message, (performance.now() - at) / 1000);
    },
  };
  const onFetch = (message: unknown): void => {
    const fetch = message as FetchMessage;
    if (scope.accepts(fetch.client)) sink.fetch(fetch.event);
  };
  const onDown = (message: unknown): void => {
    const down = message as ServerMessage;
    if (scope.accepts(down.client)) sink.serverDown(down.server);
  };
  const onLocalHit = (message: unknown): void => {
    if (scope.accepts((message as LocalCacheHitMessage).client)) sink.localCacheHit();
  };
  const onRoute = (message: unknown): void => {
    const route = message as RouteMessage;
    if (scope.accepts(route.client)) sink.route(route.event);
  };
  const plain = [
    [FETCH_CHANNEL, onFetch],
    [SERVER_DOWN_CHANNEL, onDown],
    [LOCAL_CACHE_HIT_CHANNEL, onLocalHit],
    [ROUTE_CHANNEL, onRoute],
  ] as const;
  commands.subscribe(handlers);
  for (const [name, listener] of plain) channel(name).subscribe(listener);
  return () => {
    commands.unsubscribe(handlers);
    for (const [name, listener] of plain) channel(name).unsubscribe(listener);
  };
}

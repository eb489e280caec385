import { channel, tracingChannel } from 'node:diagnostics_channel';
import { type Attributes, context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { Attr, DB_SYSTEM } from './attribute-names.ts';
import {
  COMMAND_CHANNEL,
  type CommandMessage,
  errorType,
  FETCH_CHANNEL,
  type FetchMessage,
  ROUTE_CHANNEL,
  type RouteMessage,
} from './channel-messages.ts';
import type { ClientScope } from './client-scope.ts';
import { answeringServer } from './operation-outcome.ts';
import { type QueryText, queryText } from './query-text.ts';
import { serverAddress } from './server-address.ts';

/**
 * One CLIENT span per operation of the clients in `scope`, named after the operation (`get`, `getMulti`), as a
 * child of the span active when the operation was called: core publishes `start` synchronously in
 * the caller's context, so the parent survives any `await` before it. `fetch`'s stampede
 * decisions (lease won, stale served, waited…) and the routes' events (a failover to another pool,
 * a warm-up hit…) become events on that caller's span. Returns the unsubscribe.
 */
export function traceOperations(scope: ClientScope, tracer: Tracer, mode: QueryText): () => void {
  // The span rides on core's message under a symbol of this subscription: no Map to fill, empty
  // and bound, and nothing left behind should an end never come.
  const spanOf = Symbol('dalli.otel.span');
  const startAttributes = new StartAttributes(mode);
  const commands = tracingChannel<CommandMessage>(COMMAND_CHANNEL);
  const handlers = {
    start(message: CommandMessage) {
      if (!scope.accepts(message.client)) return;
      const options = { kind: SpanKind.CLIENT, attributes: startAttributes.of(message) };
      (message as unknown as Record<symbol, Span>)[spanOf] = tracer.startSpan(
        message.operation,
        options,
        context.active(),
      );
    },
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd(message: CommandMessage) {
      const span = (message as unknown as Record<symbol, Span | undefined>)[spanOf];
      if (span === undefined) return;
      // A span the sampler dropped records nothing: skip building its attributes.
      if (span.isRecording()) settle(span, message);
      span.end();
    },
  };
  const onFetch = (message: unknown): void => {
    const fetch = message as FetchMessage;
    if (!scope.accepts(fetch.client)) return;
    trace.getActiveSpan()?.addEvent('dalli.fetch', { [Attr.fetchEvent]: fetch.event });
  };
  const onRoute = (message: unknown): void => {
    const route = message as RouteMessage;
    if (!scope.accepts(route.client)) return;
    const attributes: Attributes = { [Attr.routeEvent]: route.event };
    if (route.from !== undefined) attributes[Attr.routeFrom] = route.from;
    if (route.to !== undefined) attributes[Attr.routeTo] = route.to;
    trace.getActiveSpan()?.addEvent('dalli.route', attributes);
  };
  commands.subscribe(handlers);
  channel(FETCH_CHANNEL).subscribe(onFetch);
  channel(ROUTE_CHANNEL).subscribe(onRoute);
  return () => {
    commands.unsubscribe(handlers);
    channel(FETCH_CHANNEL).unsubscribe(onFetch);
    channel(ROUTE_CHANNEL).unsubscribe(onRoute);
  };
}

/**
 * A span's attributes at its start (the sampler sees them): made once per (operation, protocol)
 * and shared, unless the span carries its own batch size or query text. The SDK copies them.
 */
class StartAttributes {
  readonly #mode: QueryText;
  /** By protocol, then operation: two lookups of constant strings, no key string built per operation. */
  readonly #shared = new Map<string, Map<string, Attributes>>();

  constructor(mode: QueryText) {
    this.#mode = mode;
  }

  of(message: CommandMessage): Attributes {
    // The conventions count a batch from two operations up; a getMulti of one key is not one.
    const batch = message.keyCount !== undefined && message.keyCount >= 2;
    const text = message.key === undefined ? undefined : queryText(this.#mode, message.operation, message.key);
    if (!batch && text === undefined) {
      const protocol = message.protocol ?? '';
      let byOperation = this.#shared.get(protocol);
      if (byOperation === undefined) {
        byOperation = new Map();
        this.#shared.set(protocol, byOperation);
      }
      let shared = byOperation.get(message.operation);
      if (shared === undefined) {
        shared = Object.freeze(baseAttributes(message));
        byOperation.set(message.operation, shared);
      }
      return shared;
    }
    const attributes = baseAttributes(message);
    if (batch) attributes[Attr.dbOperationBatchSize] = message.keyCount;
    if (text !== undefined) attributes[Attr.dbQueryText] = text;
    return attributes;
  }
}

function baseAttributes(message: CommandMessage): Attributes {
  const attributes: Attributes = { [Attr.dbSystemName]: DB_SYSTEM, [Attr.dbOperationName]: message.operation };
  if (message.protocol !== undefined) attributes[Attr.protocol] = message.protocol;
  return attributes;
}

function settle(span: Span, message: CommandMessage): void {
  const servers = message.servers;
  const single = message.key !== undefined;
  const answering = answeringServer(message);
  // One setAttributes call: the SDK checks each call's attributes, so fewer calls cost less.
  const attributes: Attributes = {};
  if (answering !== undefined) {
    const { address, port } = serverAddress(answering);
    attributes[Attr.serverAddress] = address;
    if (port !== undefined) attributes[Attr.serverPort] = port;
  } else if (servers.length > 1) attributes[Attr.servers] = [...servers];
  if (message.attempts !== undefined && message.attempts > 1) attributes[Attr.retries] = message.attempts - 1;
  if (message.hit !== undefined) attributes[Attr.hit] = message.hit;
  if (message.hits !== undefined) {
    attributes[Attr.hits] = message.hits;
    attributes[Attr.misses] = message.misses;
  }
  if (message.error !== undefined) attributes[Attr.errorType] = errorType(message.error);
  span.setAttributes(attributes);
  if (single && servers.length > 1)
    span.addEvent('dalli.failover', { [Attr.failoverFrom]: servers[0], [Attr.failoverTo]: answering });
  if (message.error === undefined) return;
  const description = message.error instanceof Error ? message.error.message : undefined;
  span.setStatus({ code: SpanStatusCode.ERROR, ...(description === undefined ? {} : { message: description }) });
}

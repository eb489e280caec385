import type { BatchKind, OperationSpec } from '../commands/operation.ts';
import { type CommandContext, traceCommand } from '../diagnostics/diagnostics.ts';
import { valueByteLength } from '../protocol/command.ts';
import type { Batch } from './batch.ts';
import type { OperationExchange } from './operation-exchange.ts';

/**
 * The traced twins of the dispatcher's sends, taken only while someone listens on
 * `dalli:command`: the same send, wrapped in the channel's start/end/error and given the servers,
 * bytes and hits it ended with.
 */

/** What every traced operation's context starts from: the client and the dialect it speaks. */
export interface TraceBase {
  readonly client: object;
  readonly protocol: string;
}

/**
 * One keyed request, traced. `send` builds and sends it, or throws a typed error for a bad
 * argument. Once it settles, its subscribers learn its attempts and a failover's server.
 */
export function traceKeyed<T>(
  base: TraceBase,
  operation: OperationSpec<T>,
  key: string,
  send: () => OperationExchange<T>,
): Promise<T> {
  // Fields named one by one: spreading `base` here cost ~2.5 µs per operation (V8's object-spread
  // path), more than the rest of the traced path together.
  const context: CommandContext = {
    client: base.client,
    protocol: base.protocol,
    operation: operation.name,
    key,
    servers: [],
  };
  let exchange: OperationExchange<T> | undefined;
  const run = (): Promise<T> => {
    try {
      exchange = send();
    } catch (error) {
      return Promise.reject(error);
    }
    context.servers.push(exchange.server);
    return exchange.promise;
  };
  return traceCommand(
    context,
    run,
    (result) => {
      const sent = exchange as OperationExchange<T>;
      context.bytes = valueByteLength(sent.request) + sent.replyBytes;
      if (operation.read === true) context.hit = result !== undefined;
    },
    () => {
      if (exchange !== undefined) noteRoute(context, exchange);
    },
  );
}

/** What a traced single-key operation's subscribers learn of its route: attempts, and a failover's server. */
function noteRoute(context: CommandContext, exchange: { readonly attempts: number; readonly server: string }): void {
  context.attempts = exchange.attempts;
  if (!context.servers.includes(exchange.server)) context.servers.push(exchange.server);
}

/** One multi-key operation, traced. */
export function traceBatch<R, A>(
  base: TraceBase,
  kind: BatchKind<R, A>,
  keyCount: number,
  send: () => Batch<R>,
): Promise<R> {
  const context: CommandContext = {
    client: base.client,
    protocol: base.protocol,
    operation: kind.operation,
    keyCount,
    servers: [],
  };
  let batch: Batch<R> | undefined;
  const run = (): Promise<R> => {
    try {
      batch = send();
    } catch (error) {
      return Promise.reject(error);
    }
    context.keysPerServer = batch.keysPerServer;
    context.servers = Object.keys(batch.keysPerServer);
    return batch.promise;
  };
  return traceCommand(context, run, (result) => {
    context.bytes = (batch as Batch<R>).bytes;
    if (kind.idempotent && result instanceof Map) {
      context.hits = result.size;
      context.misses = keyCount - result.size;
    }
  });
}

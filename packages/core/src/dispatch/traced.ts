import type { BatchKind, OperationSpec } from '../commands/operation.ts';
import { type CommandContext, type TracedOperation, traceOperation } from '../diagnostics/diagnostics.ts';
import { valueByteLength } from '../protocol/command.ts';
import type { Batch } from './batch.ts';
import type { OperationExchange } from './operation-exchange.ts';

/**
 * The traced twins of the dispatcher's sends, taken only while someone listens on
 * `dalli:command`: the same send, wrapped in the channel's start/end/error and given the servers,
 * bytes and hits it ended with. Each is one object holding its context and its steps, so tracing
 * an operation allocates that object, the context and the promise chain, no closure per step.
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
  return traceOperation(new KeyedTrace(base, operation, key, send));
}

class KeyedTrace<T> implements TracedOperation<T> {
  readonly context: CommandContext;
  readonly #read: boolean;
  readonly #send: () => OperationExchange<T>;
  #exchange: OperationExchange<T> | undefined;

  constructor(base: TraceBase, operation: OperationSpec<T>, key: string, send: () => OperationExchange<T>) {
    // Fields named one by one: spreading `base` here cost ~2.5 µs per operation (V8's object-spread
    // path), more than the rest of the traced path together.
    this.context = { client: base.client, protocol: base.protocol, operation: operation.name, key, servers: [] };
    this.#read = operation.read === true;
    this.#send = send;
  }

  run(): Promise<T> {
    let exchange: OperationExchange<T>;
    try {
      exchange = this.#send();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#exchange = exchange;
    this.context.servers.push(exchange.server);
    return exchange.promise;
  }

  settle(result: T): void {
    const sent = this.#exchange as OperationExchange<T>;
    this.context.bytes = valueByteLength(sent.request) + sent.replyBytes;
    if (this.#read) this.context.hit = result !== undefined;
  }

  /** What its subscribers learn of its route: attempts, and a failover's server. */
  settled(): void {
    const exchange = this.#exchange;
    if (exchange === undefined) return;
    this.context.attempts = exchange.attempts;
    if (!this.context.servers.includes(exchange.server)) this.context.servers.push(exchange.server);
  }
}

/** One multi-key operation, traced. */
export function traceBatch<R, A>(
  base: TraceBase,
  kind: BatchKind<R, A>,
  keyCount: number,
  send: () => Batch<R>,
): Promise<R> {
  return traceOperation(new BatchTrace(base, kind, keyCount, send));
}

class BatchTrace<R, A> implements TracedOperation<R> {
  readonly context: CommandContext;
  readonly #kind: BatchKind<R, A>;
  readonly #keyCount: number;
  readonly #send: () => Batch<R>;
  #batch: Batch<R> | undefined;

  constructor(base: TraceBase, kind: BatchKind<R, A>, keyCount: number, send: () => Batch<R>) {
    this.context = {
      client: base.client,
      protocol: base.protocol,
      operation: kind.operation,
      keyCount,
      servers: [],
    };
    this.#kind = kind;
    this.#keyCount = keyCount;
    this.#send = send;
  }

  run(): Promise<R> {
    let batch: Batch<R>;
    try {
      batch = this.#send();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#batch = batch;
    this.context.keysPerServer = batch.keysPerServer;
    this.context.servers = Object.keys(batch.keysPerServer);
    return batch.promise;
  }

  settle(result: R): void {
    this.context.bytes = (this.#batch as Batch<R>).bytes;
    if (this.#kind.idempotent && result instanceof Map) {
      this.context.hits = result.size;
      this.context.misses = this.#keyCount - result.size;
    }
  }

  settled(): void {}
}

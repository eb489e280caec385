import { keyList, timeoutMs } from '../argument-checks.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { Server } from '../cluster/server.ts';
import type { OperationSpec } from '../commands/operation.ts';
import { type CommandContext, commandChannel, traceCommand } from '../diagnostics.ts';
import {
  BatchError,
  ClosedError,
  ConnectionError,
  type DalliError,
  InvalidArgumentError,
  NoServerAvailableError,
  ProtocolError,
  TimeoutError,
  UnsupportedCommandError,
} from '../errors.ts';
import type { KeyBuilder } from '../keys.ts';
import { checkOperationOptions } from '../operation-option-checks.ts';
import type { OperationOptions } from '../operation-options.ts';
import { type Command, valueByteLength } from '../protocol/command.ts';
import { type ProxyName, proxyRefusal } from '../protocol/proxies.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';
import type { ValueCodec } from '../values/value-codec.ts';
import { Batch, type BatchKind, type BatchPart } from './batch.ts';
import { GetCoalescer } from './get-coalescer.ts';
import { KeyGroupExchange } from './key-group-exchange.ts';
import { type ExchangeContext, OperationExchange } from './operation-exchange.ts';
import type { Retriable, Retrier } from './retriable.ts';
import { RetryQueue } from './retry-queue.ts';

/** The bytes of a multi-key get line besides its keys and their spaces: `gets` and CRLF. */
const GET_LINE_OVERHEAD = 'gets\r\n'.length;

/** A request waiting out the pause before its retry, with the failure that caused it. */
interface PendingRetry {
  readonly exchange: Retriable;
  readonly error: DalliError;
}

/** Builds a request from the wire key; may throw a typed error for a bad argument. */
export type BuildRequest = (wireKey: string) => Command;
/** Builds one key's request of a batch from its wire key and the caller's key. */
export type BuildBatchRequest = (wireKey: string, key: string) => Command;

export interface DispatcherOptions {
  /** The client: diagnostics messages name it. */
  readonly client: object;
  readonly keys: KeyBuilder;
  readonly codec: ValueCodec;
  /** The client's `raw` option: the default of reads and writes. */
  readonly raw: boolean;
  /** Times a request is tried on its server (socketMaxFailures). */
  readonly maxAttempts: number;
  /** Milliseconds between a failure and the retry (socketFailureDelay). */
  readonly retryDelay: number;
  /** The dialect the servers are spoken to in: an operation (or request) it cannot carry is refused. */
  readonly protocol: WireProtocol;
  /** Send single gets of one tick as multi-key gets, where the dialect has no quiet gets. */
  readonly coalesceGets?: boolean | undefined;
  /** The proxy the servers are (`proxy` option): a command it does not know is refused before sending. */
  readonly proxy?: ProxyName | undefined;
}

/**
 * The client's chokepoint: every operation passes here to be checked, routed to its server and
 * sent, and a failed request comes back here to be retried or to fail. Bad arguments reject before
 * a byte is written; nothing here throws synchronously.
 *
 * Retries: a request whose connection failed before it was written is resent whatever it is; once
 * written, only idempotent ones (reads) are. Each is tried up to `maxAttempts` times on its server,
 * plus once on a failover server if its own went down meanwhile.
 */
export class Dispatcher implements Retrier {
  readonly keys: KeyBuilder;
  readonly codec: ValueCodec;
  readonly raw: boolean;
  readonly cluster: Cluster;
  readonly #options: DispatcherOptions;
  readonly #context: ExchangeContext;
  readonly #retries: RetryQueue<PendingRetry>;
  /** For a dialect without quiet gets: single gets of one tick go as multi-key gets. */
  readonly #coalescer: GetCoalescer | undefined;
  #closed = false;
  /** The drain every `close()` call waits for, the second as well as the first. */
  #closing: Promise<void> | undefined;

  constructor(cluster: Cluster, options: DispatcherOptions) {
    this.cluster = cluster;
    this.keys = options.keys;
    this.codec = options.codec;
    this.raw = options.raw;
    this.#options = options;
    this.#context = { codec: options.codec, retrier: this };
    const keysPerGet = options.protocol.keysPerGet;
    this.#coalescer =
      keysPerGet === undefined || options.coalesceGets === false ? undefined : new GetCoalescer(keysPerGet);
    this.#retries = new RetryQueue(options.retryDelay, (pending) => this.#resend(pending.exchange, pending.error));
  }

  /** One request for one key. */
  keyed<T>(
    spec: OperationSpec<T>,
    key: string,
    options: OperationOptions | undefined,
    build: BuildRequest,
    raw: boolean = this.raw,
  ): Promise<T> {
    const discovering = this.cluster.pending;
    if (discovering !== undefined) return discovering.then(() => this.keyed(spec, key, options, build, raw));
    if (commandChannel.hasSubscribers) return this.#tracedKeyed(spec, key, options, build, raw);
    try {
      return this.#sendKeyed(spec, key, options, build, raw).promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A quiet request per key, grouped by server; each server's share leaves in one write, closed
   * by the connection's NOOP. Every key is checked and every request built before any is sent.
   */
  batch<R>(
    kind: BatchKind<R>,
    results: R,
    keys: Iterable<string>,
    options: OperationOptions | undefined,
    raw: boolean,
    build: BuildBatchRequest,
  ): Promise<R> {
    const discovering = this.cluster.pending;
    if (discovering !== undefined) return discovering.then(() => this.batch(kind, results, keys, options, raw, build));
    let list: readonly string[];
    try {
      list = keyList(keys, kind.operation, kind.dedupe);
      if (!commandChannel.hasSubscribers) return this.#sendBatch(kind, results, list, options, raw, build).promise;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#tracedBatch(kind, results, list, options, raw, build);
  }

  /**
   * One request to every server. Resolves the answers by server name. With one server, its
   * failure rejects as is; with several, a {@link BatchError} carries the answers that came.
   */
  everyServer<T>(
    spec: OperationSpec<T>,
    options: OperationOptions | undefined,
    build: (index: number) => Command,
  ): Promise<Record<string, T>> {
    const discovering = this.cluster.pending;
    if (discovering !== undefined) return discovering.then(() => this.everyServer(spec, options, build));
    if (!commandChannel.hasSubscribers) return this.#sendEveryServer(spec, options, build);
    const servers = this.cluster.servers.map((server) => server.name);
    const context: CommandContext = {
      client: this.#options.client,
      operation: spec.name,
      protocol: this.#options.protocol.name,
      servers,
    };
    return traceCommand(
      context,
      () => this.#sendEveryServer(spec, options, build),
      () => {},
    );
  }

  #sendKeyed<T>(
    spec: OperationSpec<T>,
    key: string,
    options: OperationOptions | undefined,
    build: BuildRequest,
    raw: boolean,
  ): OperationExchange<T> {
    checkOperationOptions(options, spec.name);
    this.#checkDialect(spec);
    const wireKey = this.keys.wireKey(key, spec.name);
    const request = build(wireKey);
    const refusal = this.#options.protocol.refusal?.(request);
    if (refusal !== undefined) throw new InvalidArgumentError(refusal, { operation: spec.name });
    this.#checkProxy(request, spec.name);
    this.#checkOpen(spec.name, options);
    const server = this.cluster.route(wireKey, spec.name);
    const timeout = timeoutMs(options?.timeout, spec.name);
    const exchange = new OperationExchange(
      spec,
      server.name,
      request,
      wireKey,
      this.#context,
      raw,
      timeout,
      options?.signal,
    );
    // A get with a timeout of its own goes alone: a multi-key get has one deadline for all its keys.
    if (this.#coalescer !== undefined && spec.missOnSilence === true && timeout === undefined) {
      this.#coalescer.add(server, exchange);
    } else this.#send(server, exchange);
    return exchange;
  }

  #tracedKeyed<T>(
    spec: OperationSpec<T>,
    key: string,
    options: OperationOptions | undefined,
    build: BuildRequest,
    raw: boolean,
  ): Promise<T> {
    const context: CommandContext = {
      client: this.#options.client,
      operation: spec.name,
      protocol: this.#options.protocol.name,
      key,
      servers: [],
    };
    let exchange: OperationExchange<T> | undefined;
    const run = (): Promise<T> => {
      try {
        exchange = this.#sendKeyed(spec, key, options, build, raw);
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
        if (spec.read === true) context.hit = result !== undefined;
      },
      () => {
        if (exchange !== undefined) noteRoute(context, exchange);
      },
    );
  }

  #sendBatch<R>(
    kind: BatchKind<R>,
    results: R,
    keys: readonly string[],
    options: OperationOptions | undefined,
    raw: boolean,
    build: BuildBatchRequest,
  ): Batch<R> {
    const operation = kind.operation;
    checkOperationOptions(options, operation);
    const timeout = timeoutMs(options?.timeout, operation);
    this.#checkOpen(operation, options);
    const batch = new Batch(kind, results, this.#context, options?.signal);
    // Every key is checked and every request built before the first is sent.
    const parts = new Array<BatchPart<R>>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const wireKey = this.keys.wireKey(key, operation);
      parts[i] = batch.part(key, wireKey, build(wireKey, key), '', raw, timeout);
    }
    if (parts.length > 0) this.#checkProxy((parts[0] as BatchPart<R>).request, operation);
    const grouped = this.#options.protocol.keysPerGet !== undefined && kind.idempotent;
    const groups = grouped ? new Map<Server, BatchPart<R>[]>() : undefined;
    for (const part of parts) {
      try {
        const server = this.cluster.route(part.wireKey, operation);
        part.server = server.name;
        batch.keysPerServer[server.name] = (batch.keysPerServer[server.name] ?? 0) + 1;
        if (groups === undefined) this.#send(server, part);
        else {
          const group = groups.get(server);
          if (group === undefined) groups.set(server, [part]);
          else group.push(part);
        }
      } catch (error) {
        part.fail(error);
      }
    }
    if (groups !== undefined) this.#sendGroups(groups);
    batch.seal();
    return batch;
  }

  #tracedBatch<R>(
    kind: BatchKind<R>,
    results: R,
    keys: readonly string[],
    options: OperationOptions | undefined,
    raw: boolean,
    build: BuildBatchRequest,
  ): Promise<R> {
    const context: CommandContext = {
      client: this.#options.client,
      operation: kind.operation,
      protocol: this.#options.protocol.name,
      keyCount: keys.length,
      servers: [],
    };
    let batch: Batch<R> | undefined;
    const run = (): Promise<R> => {
      try {
        batch = this.#sendBatch(kind, results, keys, options, raw, build);
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
        context.misses = keys.length - result.size;
      }
    });
  }

  async #sendEveryServer<T>(
    spec: OperationSpec<T>,
    options: OperationOptions | undefined,
    build: (index: number) => Command,
  ): Promise<Record<string, T>> {
    checkOperationOptions(options, spec.name);
    this.#checkDialect(spec);
    this.#checkOpen(spec.name, options);
    // No server is not "every server answered": a flush that reached none must not pass for done.
    if (this.cluster.servers.length === 0) throw this.cluster.noServers(spec.name);
    const timeout = timeoutMs(options?.timeout, spec.name);
    const servers = this.cluster.servers;
    const requests = servers.map((_, i) => build(i));
    if (requests.length > 0) this.#checkProxy(requests[0] as Command, spec.name);
    const settled = await Promise.allSettled(
      servers.map(async (server, i) => {
        if (!server.available) throw this.#downError(server, spec.name);
        const exchange = new OperationExchange(
          spec,
          server.name,
          requests[i] as Command,
          undefined,
          this.#context,
          false,
          timeout,
          options?.signal,
        );
        // A command for a whole server (stats, flush, version) is what a proxy may not know and
        // hang up on: it goes alone, so that only it fails then (see Exchange.alone).
        exchange.alone = true;
        this.#send(server, exchange);
        return exchange.promise;
      }),
    );
    const results: Record<string, T> = {};
    const errors = new Map<string, DalliError>();
    for (const [i, outcome] of settled.entries()) {
      const name = (servers[i] as Server).name;
      if (outcome.status === 'fulfilled') results[name] = outcome.value;
      else errors.set(name, outcome.reason as DalliError);
    }
    if (errors.size === 0) return results;
    if (servers.length === 1) throw errors.values().next().value;
    throw new BatchError(spec.name, results, errors, servers.length, 'servers');
  }

  /**
   * Each server's gets as multi-key requests of at most `keysPerGet` keys and `getLineMaxBytes`
   * bytes (text `gets k1 k2 …\r\n`).
   */
  #sendGroups<R>(groups: Map<Server, BatchPart<R>[]>): void {
    const protocol = this.#options.protocol;
    const limit = protocol.keysPerGet as number;
    const maxBytes = (protocol.getLineMaxBytes ?? Number.POSITIVE_INFINITY) - GET_LINE_OVERHEAD;
    for (const [server, parts] of groups) {
      let group: BatchPart<R>[] = [];
      let bytes = 0;
      const flush = (): void => {
        for (const part of group) part.attempts++;
        server.send(new KeyGroupExchange(group));
        group = [];
        bytes = 0;
      };
      for (const part of parts) {
        const size = Buffer.byteLength(part.wireKey) + 1;
        if (group.length === limit || (group.length > 0 && bytes + size > maxBytes)) flush();
        group.push(part);
        bytes += size;
      }
      if (group.length > 0) flush();
    }
  }

  /** Called by a request whose connection failed: schedules a resend and returns true, or returns false. */
  retry(exchange: Retriable, error: DalliError, sent: boolean): boolean {
    if (this.#closed) return false;
    if (!sent && error.cause instanceof UnsupportedCommandError) {
      // Never written, on a connection a proxy closed over another request's command: not this
      // request's failure, so it goes again at once on a new connection and costs no attempt.
      exchange.attempts--;
      this.#resend(exchange, error);
      return true;
    }
    if (!(error instanceof ConnectionError || error instanceof TimeoutError || error instanceof ProtocolError))
      return false;
    if (sent && !exchange.idempotent) return false;
    if (exchange.attempts >= this.#options.maxAttempts && !this.#wouldFailOver(exchange)) return false;
    this.#retries.add({ exchange, error });
    return true;
  }

  /** Refuses new operations, waits for those in flight, and closes every connection. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#retries.clear(({ exchange }) =>
      exchange.fail(new ClosedError('the client closed before a retry', { operation: exchange.operation })),
    );
    await Promise.all(this.cluster.servers.map((server) => server.close()));
  }

  #send(server: Server, exchange: Retriable): void {
    exchange.attempts++;
    server.send(exchange);
  }

  /** After its last attempt on its own server, a request gets one more on a failover server. */
  #wouldFailOver(exchange: Retriable): boolean {
    if (exchange.routeKey === undefined || exchange.attempts > this.#options.maxAttempts) return false;
    const server = this.cluster.routeIfAny(exchange.routeKey);
    return server !== undefined && server.name !== exchange.server;
  }

  /**
   * Sends a request again after its pause. If its server went down meanwhile and no other can
   * take it, it fails with its own last failure (a timeout, a reset), the real cause, rather than
   * with "no server available".
   */
  #resend(exchange: Retriable, lastError: DalliError): void {
    if (exchange.settled) return;
    const server =
      exchange.routeKey === undefined
        ? this.cluster.servers.find((candidate) => candidate.name === exchange.server && candidate.available)
        : this.cluster.routeIfAny(exchange.routeKey);
    if (server === undefined) {
      exchange.fail(lastError);
      return;
    }
    exchange.server = server.name;
    try {
      this.#send(server, exchange);
    } catch (error) {
      exchange.fail(error);
    }
  }

  #downError(server: Server, operation: string): NoServerAvailableError {
    const cause = server.downCause;
    const why = cause === undefined ? '' : ` after: ${cause.detail}`;
    return new NoServerAvailableError(`the server is down${why}`, { server: server.name, operation, cause });
  }

  #checkDialect(spec: OperationSpec<unknown>): void {
    const dialects = spec.dialects;
    const name = this.#options.protocol.name;
    if (dialects === undefined || dialects.includes(name)) return;
    const message = `${spec.name} needs protocol ${dialects.map((dialect) => `'${dialect}'`).join(' or ')}; this client speaks '${name}'`;
    throw new InvalidArgumentError(message, { operation: spec.name });
  }

  #checkProxy(request: Command, operation: string): void {
    const refusal = proxyRefusal(this.#options.proxy, request.op);
    if (refusal !== undefined) throw new UnsupportedCommandError(refusal, { operation });
  }

  #checkOpen(operation: string, options: OperationOptions | undefined): void {
    if (this.#closed) throw new ClosedError('the client is closed', { operation });
    const signal = options?.signal;
    if (signal?.aborted) throw signal.reason;
  }
}

/** What a traced single-key operation's subscribers learn of its route: attempts, and a failover's server. */
function noteRoute(context: CommandContext, exchange: { readonly attempts: number; readonly server: string }): void {
  context.attempts = exchange.attempts;
  if (!context.servers.includes(exchange.server)) context.servers.push(exchange.server);
}

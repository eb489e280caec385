import type { Cluster } from '../cluster/cluster.ts';
import type { Server } from '../cluster/server.ts';
import { keyList, timeoutMs } from '../commands/argument-checks.ts';
import type { BatchKind, KeyedOperation, ServerOperation } from '../commands/operation.ts';
import { type CommandContext, commandChannel, traceCommand } from '../diagnostics/diagnostics.ts';
import type { KeyBuilder } from '../keys/key-builder.ts';
import type { OperationOptions } from '../options/operation-options.ts';
import type { RoutesOption } from '../options/route-options.ts';
import type { Command } from '../protocol/command.ts';
import { createRouter, type PoolCluster } from '../routing/create-router.ts';
import type { Router } from '../routing/router.ts';
import type { ValueCodec } from '../values/value-codec.ts';
import { Batch, type BatchPart } from './batch.ts';
import { askEveryServer } from './every-server.ts';
import { GetCoalescer } from './get-coalescer.ts';
import { sendKeyGroups, sendShares } from './key-groups.ts';
import { type ExchangeContext, OperationExchange } from './operation-exchange.ts';
import { type RequestCheckOptions, RequestChecks } from './request-checks.ts';
import { RetryPolicy, sendCounted } from './retry-policy.ts';
import { type TraceBase, traceBatch, traceKeyed } from './traced.ts';

export interface DispatcherOptions extends RequestCheckOptions {
  /** The client: diagnostics messages name it. */
  readonly client: object;
  readonly codec: ValueCodec;
  /** The client's `raw` option: the default of reads and writes. */
  readonly raw: boolean;
  /** Times a request is tried on its server (`requestMaxAttempts`). */
  readonly maxAttempts: number;
  /** Milliseconds between a failure and the retry (`socketFailureDelay`). */
  readonly retryDelay: number;
  /** Send single gets of one tick as multi-key gets, where the dialect has no quiet gets. */
  readonly coalesceGets?: boolean | undefined;
  /** The `routes` option: requests then go through the router, to 'main' (the cluster) and `pools`. */
  readonly routes?: RoutesOption | undefined;
  readonly pools?: readonly PoolCluster[] | undefined;
}

/**
 * The client's chokepoint: every operation passes here, as (descriptor, arguments, options), to
 * be checked, routed to its server and sent, and a failed request comes back here to be retried
 * or to fail ({@link RetryPolicy}). Checks run in one order for every entry point: options,
 * capability, key, request, proxy, open. Bad arguments reject before a byte is written; nothing
 * here throws synchronously, and nothing here calls back into the client.
 */
export class Dispatcher {
  readonly keys: KeyBuilder;
  readonly codec: ValueCodec;
  readonly raw: boolean;
  readonly cluster: Cluster;
  /** With `routes`: where each request goes, among the pools. */
  readonly router: Router | undefined;
  readonly #options: DispatcherOptions;
  readonly #context: ExchangeContext;
  readonly #retries: RetryPolicy;
  /** For a dialect without quiet gets: single gets of one tick go as multi-key gets. */
  readonly #coalescer: GetCoalescer | undefined;
  readonly #checks: RequestChecks;
  /** The drain every `close()` call waits for, the second as well as the first. */
  #closing: Promise<void> | undefined;

  constructor(cluster: Cluster, options: DispatcherOptions) {
    this.cluster = cluster;
    this.keys = options.keys;
    this.codec = options.codec;
    this.raw = options.raw;
    this.#options = options;
    this.#checks = new RequestChecks(options);
    this.#retries = new RetryPolicy(cluster, options.maxAttempts, options.retryDelay);
    this.#context = { codec: options.codec, retrier: this.#retries };
    const multiKeyGet = options.protocol.capabilities.multiKeyGet;
    this.#coalescer =
      multiKeyGet === undefined || options.coalesceGets === false ? undefined : new GetCoalescer(multiKeyGet.keys);
    const { routes, codec, maxAttempts, retryDelay, expiresIn } = options;
    const context = { codec, maxAttempts, retryDelay, coalescer: this.#coalescer, expiresIn };
    this.router =
      routes === undefined ? undefined : createRouter(options.client, cluster, options.pools ?? [], routes, context);
  }

  /** One request for one key: `operation.build(wireKey, a, b, c)`. */
  keyed<T, A, B, C>(
    operation: KeyedOperation<T, A, B, C>,
    key: string,
    a: A,
    b: B,
    c: C,
    options: OperationOptions | undefined,
    raw: boolean = this.raw,
  ): Promise<T> {
    const discovering = this.cluster.pending;
    if (discovering !== undefined) return discovering.then(() => this.keyed(operation, key, a, b, c, options, raw));
    if (this.router !== undefined) return this.#routedKeyed(operation, key, a, b, c, options, raw);
    if (commandChannel.hasSubscribers) {
      const send = (): OperationExchange<T> => this.#sendKeyed(operation, key, a, b, c, options, raw);
      return traceKeyed(this.#traceBase(), operation, key, send);
    }
    try {
      return this.#sendKeyed(operation, key, a, b, c, options, raw).promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A quiet request per key, grouped by server; each server's share leaves in one write, closed
   * by the connection's NOOP. Every key is checked and every request built before any is sent.
   */
  batch<R, A>(
    kind: BatchKind<R, A>,
    keys: Iterable<string>,
    a: A,
    options: OperationOptions | undefined,
    raw: boolean = this.raw,
  ): Promise<R> {
    const discovering = this.cluster.pending;
    if (discovering !== undefined) return discovering.then(() => this.batch(kind, keys, a, options, raw));
    let list: readonly string[];
    try {
      list = keyList(keys, kind.operation, kind.dedupe);
      if (this.router !== undefined) return this.#routedBatch(this.router, kind, list, a, options, raw);
      if (!commandChannel.hasSubscribers) return this.#sendBatch(kind, list, a, options, raw).promise;
    } catch (error) {
      return Promise.reject(error);
    }
    return traceBatch(this.#traceBase(), kind, list.length, () => this.#sendBatch(kind, list, a, options, raw));
  }

  /** One request to every server: `operation.build(index, a)`. Resolves the answers by server name. */
  everyServer<T, A>(
    operation: ServerOperation<T, A>,
    a: A,
    options: OperationOptions | undefined,
  ): Promise<Record<string, T>> {
    const discovering = this.cluster.pending;
    if (discovering !== undefined) return discovering.then(() => this.everyServer(operation, a, options));
    const send = (): Promise<Record<string, T>> => {
      try {
        return this.#sendEveryServer(operation, a, options);
      } catch (error) {
        return Promise.reject(error);
      }
    };
    if (!commandChannel.hasSubscribers) return send();
    const servers = this.servers.map((server) => server.name);
    return traceCommand({ ...this.#traceBase(), operation: operation.name, servers }, send, () => {});
  }

  /** What every traced operation's context starts from: the client and the dialect it speaks. */
  #traceBase(): TraceBase {
    return { client: this.#options.client, protocol: this.#options.protocol.name };
  }

  #sendKeyed<T, A, B, C>(
    operation: KeyedOperation<T, A, B, C>,
    key: string,
    a: A,
    b: B,
    c: C,
    options: OperationOptions | undefined,
    raw: boolean,
  ): OperationExchange<T> {
    const name = operation.name;
    const { wireKey, request } = this.#checks.prepare(operation, key, a, b, c, options);
    const server = this.cluster.route(wireKey, name);
    const timeout = timeoutMs(options?.timeout, name);
    const signal = options?.signal;
    const exchange = new OperationExchange(
      operation,
      server.name,
      request,
      wireKey,
      this.#context,
      raw,
      timeout,
      signal,
    );
    // A get with a timeout of its own goes alone: a multi-key get has one deadline for all its keys.
    if (this.#coalescer !== undefined && operation.missOnSilence === true && timeout === undefined) {
      this.#coalescer.add(server, exchange);
    } else sendCounted(server, exchange);
    return exchange;
  }

  #routedKeyed<T, A, B, C>(
    operation: KeyedOperation<T, A, B, C>,
    key: string,
    a: A,
    b: B,
    c: C,
    options: OperationOptions | undefined,
    raw: boolean,
  ): Promise<T> {
    try {
      const { wireKey, request } = this.#checks.prepare(operation, key, a, b, c, options);
      const settings = { raw, timeout: timeoutMs(options?.timeout, operation.name), signal: options?.signal };
      const trace = commandChannel.hasSubscribers ? this.#traceContext(operation.name, key) : undefined;
      return (this.router as Router).keyed(operation, operation.op, wireKey, request, settings, trace);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #traceContext(operation: string, key: string | undefined, keyCount?: number): CommandContext {
    return { ...this.#traceBase(), operation, key, keyCount, servers: [] };
  }

  #sendBatch<R, A>(
    kind: BatchKind<R, A>,
    keys: readonly string[],
    a: A,
    options: OperationOptions | undefined,
    raw: boolean,
  ): Batch<R> {
    const name = kind.operation;
    const timeout = this.#checks.batch(name, options);
    const batch = new Batch(kind, kind.results(), this.#context, options?.signal);
    // Every key is checked and every request built before the first is sent.
    const parts = new Array<BatchPart<R>>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const wireKey = this.keys.wireKey(key, name);
      parts[i] = batch.part(key, wireKey, kind.build(wireKey, key, a, this.#options), '', raw, timeout);
    }
    if (parts.length > 0) this.#checks.proxy(kind.op, name);
    const multiKeyGet = kind.idempotent ? this.#options.protocol.capabilities.multiKeyGet : undefined;
    // Each server's share goes in one step, admitted or refused whole by its queue depth.
    const shares = new Map<Server, BatchPart<R>[]>();
    for (const part of parts) {
      try {
        const server = this.cluster.route(part.wireKey, name);
        part.server = server.name;
        batch.keysPerServer[server.name] = (batch.keysPerServer[server.name] ?? 0) + 1;
        const share = shares.get(server);
        if (share === undefined) shares.set(server, [part]);
        else share.push(part);
      } catch (error) {
        part.fail(error);
      }
    }
    if (multiKeyGet !== undefined) sendKeyGroups(shares, multiKeyGet);
    else sendShares(shares);
    batch.seal();
    return batch;
  }

  /** Each key through its route; every key checked and every request built before any is sent. */
  #routedBatch<R, A>(
    router: Router,
    kind: BatchKind<R, A>,
    keys: readonly string[],
    a: A,
    options: OperationOptions | undefined,
    raw: boolean,
  ): Promise<R> {
    const name = kind.operation;
    const timeout = this.#checks.batch(name, options);
    const wireKeys = keys.map((key) => this.keys.wireKey(key, name));
    const requests = wireKeys.map((wireKey, i) => kind.build(wireKey, keys[i] as string, a, this.#options));
    if (keys.length > 0) this.#checks.proxy(kind.op, name);
    const settings = { raw, timeout, signal: options?.signal };
    const trace = commandChannel.hasSubscribers ? this.#traceContext(name, undefined, keys.length) : undefined;
    const mapKind = kind as unknown as BatchKind<Map<string, unknown>, A>;
    return router.batch(mapKind, keys, wireKeys, requests, settings, trace) as Promise<R>;
  }

  #sendEveryServer<T, A>(
    operation: ServerOperation<T, A>,
    a: A,
    options: OperationOptions | undefined,
  ): Promise<Record<string, T>> {
    const name = operation.name;
    const servers = this.servers;
    operation.check?.(a, servers.length);
    this.#checks.operation(operation, options);
    this.#checks.open(name, options);
    // No server is not "every server answered": a flush that reached none must not pass for done.
    if (servers.length === 0) throw this.cluster.noServers(name);
    const timeout = timeoutMs(options?.timeout, name);
    const requests: Command[] = servers.map((_, i) => operation.build(i, a));
    this.#checks.proxy(operation.op, name);
    return askEveryServer(operation, servers, requests, this.#context, timeout, options?.signal, sendCounted);
  }

  /** Every server a flush or stats reaches: every pool's, with routes. */
  get servers(): readonly Server[] {
    return this.router?.servers ?? this.cluster.servers;
  }

  /** Refuses new operations, waits for those in flight, and closes every connection. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#checks.closed = true;
    this.#retries.close();
    await Promise.all([...this.cluster.servers.map((server) => server.close()), this.router?.close(this.cluster)]);
  }
}

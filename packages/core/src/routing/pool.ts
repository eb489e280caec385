import type { Cluster } from '../cluster/cluster.ts';
import type { Server } from '../cluster/server.ts';
import type { GetCoalescer } from '../dispatch/get-coalescer.ts';
import { type ExchangeContext, OperationExchange } from '../dispatch/operation-exchange.ts';
import { RetryPolicy, sendCounted } from '../dispatch/retry-policy.ts';
import type { ValueCodec } from '../values/value-codec.ts';
import { OutageJournal } from './outage-journal.ts';
import type { RoutedCall } from './routed-call.ts';

/** What every pool of a client shares. */
export interface PoolContext {
  readonly codec: ValueCodec;
  /** Times a request is tried on its server (`requestMaxAttempts`). */
  readonly maxAttempts: number;
  /** Milliseconds between a failure and the retry. */
  readonly retryDelay: number;
  /** Where single gets ride in multi-key gets (text), if the dialect has no quiet gets. */
  readonly coalescer: GetCoalescer | undefined;
  /** Most keys a pool's outage journal holds. */
  readonly journalMax: number;
}

/**
 * A named set of servers with its own ring (`pools` option; the client's own servers are 'main'):
 * the leaf every route ends in. A request sent here goes to its key's server in this pool, and is
 * retried there (and rehashed, with the pool's `failover`) as any request of an unrouted client.
 */
export class Pool {
  readonly name: string;
  readonly cluster: Cluster;
  readonly zone: string | undefined;
  /** Keys written around this pool's dead servers, for every failover route from it. */
  readonly journal: OutageJournal;
  readonly #context: PoolContext;
  readonly #retries: RetryPolicy;
  readonly #exchangeContext: ExchangeContext;
  /** For requests meant for one server only: never resent to another. */
  readonly #pinnedContext: ExchangeContext;

  constructor(name: string, cluster: Cluster, zone: string | undefined, context: PoolContext) {
    this.name = name;
    this.cluster = cluster;
    this.zone = zone;
    this.#context = context;
    this.journal = new OutageJournal(context.journalMax);
    this.#retries = new RetryPolicy(cluster, context.maxAttempts, context.retryDelay);
    this.#exchangeContext = { codec: context.codec, retrier: this.#retries };
    this.#pinnedContext = { codec: context.codec, retrier: undefined };
  }

  /** Sends the call's request to its key's server here; rejects with NoServerAvailableError when none is live. */
  send<T>(call: RoutedCall<T>): Promise<T> {
    let server: Server;
    try {
      server = this.cluster.route(call.wireKey, call.spec.name);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.sendTo(server, call);
  }

  /**
   * Sends the call's request to one server of this pool, whichever owns the key. `pinned`: to
   * that server alone, never retried on the key's owner (a warm-up's read or delete of the
   * previous owner, which must not reach the current one).
   */
  sendTo<T>(server: Server, call: RoutedCall<T>, pinned = false): Promise<T> {
    call.trail?.push(server.name);
    const { spec, request, wireKey, raw, timeout, signal } = call;
    const exchange = new OperationExchange(
      spec,
      server.name,
      request,
      wireKey,
      pinned ? this.#pinnedContext : this.#exchangeContext,
      raw,
      timeout,
      signal,
    );
    const coalescer = this.#context.coalescer;
    if (coalescer !== undefined && spec.missOnSilence === true && timeout === undefined)
      coalescer.add(server, exchange);
    else sendCounted(server, exchange);
    return exchange.promise;
  }

  /** No more retries: requests waiting for one fail. */
  close(): void {
    this.#retries.close();
  }
}

import type { BatchKind, DecodeContext } from '../commands/operation.ts';

/** What a batch reads of its kind once the requests are built. */
type BatchReading<R> = Pick<BatchKind<R>, 'operation' | 'idempotent' | 'record' | 'silence'>;

import { BatchError, type DalliError, ProtocolError } from '../errors.ts';
import { type Command, valueByteLength } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import type { InflateBudget, ValueCodec } from '../values/value-codec.ts';
import { type AbortTarget, unwatchAbort, watchAbort } from './abort-watch.ts';
import type { ExchangeContext } from './operation-exchange.ts';
import type { Retriable, Retrier } from './retriable.ts';

/**
 * One multi-key operation: a quiet request per key, on one or more connections, settled by one
 * promise. It resolves with the results once every key is settled, or rejects with a
 * {@link BatchError} carrying the partial results if any key failed. Requests are not objects
 * with promises of their own, so a batch of 100 keys costs 100 small objects and one promise.
 */
export class Batch<R> implements AbortTarget {
  readonly kind: BatchReading<R>;
  readonly results: R;
  readonly codec: ValueCodec;
  readonly retrier: Retrier | undefined;
  /** Shared by every key's reply: a batch of planted compression bombs is bounded as a whole. */
  readonly inflateBudget: InflateBudget;
  readonly promise: Promise<R>;
  #resolve!: (results: R) => void;
  #reject!: (error: unknown) => void;
  #total = 0;
  #unsettled = 0;
  #sealed = false;
  #done = false;
  #errors: Map<string, DalliError> | undefined;
  #signal: AbortSignal | undefined;
  /** How many parts went to each server (for diagnostics). */
  readonly keysPerServer: Record<string, number> = {};
  /** Value bytes of the parts' requests and replies (for diagnostics). */
  bytes = 0;

  constructor(kind: BatchReading<R>, results: R, context: ExchangeContext, signal: AbortSignal | undefined) {
    this.kind = kind;
    this.results = results;
    this.codec = context.codec;
    this.retrier = context.retrier;
    this.inflateBudget = context.codec.batchInflateBudget();
    this.promise = new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (signal !== undefined) {
      this.#signal = signal;
      watchAbort(signal, this);
    }
  }

  /** A request for one key; send it, then call {@link seal} once all parts are out. */
  part(
    key: string,
    wireKey: string,
    request: Command,
    server: string,
    raw: boolean,
    timeout: number | undefined,
  ): BatchPart<R> {
    this.#total++;
    this.#unsettled++;
    this.bytes += valueByteLength(request);
    return new BatchPart(this, key, wireKey, request, server, raw, timeout);
  }

  /** True once the batch has its outcome (or was aborted): its parts' late replies are ignored. */
  get done(): boolean {
    return this.#done;
  }

  /** Every part has been sent: the batch may now complete. */
  seal(): void {
    this.#sealed = true;
    this.#maybeFinish();
  }

  /** Called by a part when it is settled, successfully or not. */
  settled(part: BatchPart<R>, error: DalliError | undefined): void {
    if (error !== undefined) {
      this.#errors ??= new Map();
      this.#errors.set(part.key, error);
    }
    this.#unsettled--;
    this.#maybeFinish();
  }

  /** The AbortSignal fired: reject now; the parts' replies are still read and discarded. */
  onAbort(reason: unknown): void {
    this.#finish(() => this.#reject(reason));
  }

  #maybeFinish(): void {
    if (!this.#sealed || this.#unsettled > 0) return;
    const errors = this.#errors;
    if (errors === undefined) this.#finish(() => this.#resolve(this.results));
    else this.#finish(() => this.#reject(new BatchError(this.kind.operation, this.results, errors, this.#total)));
  }

  #finish(settle: () => void): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#signal !== undefined) unwatchAbort(this.#signal, this);
    settle();
  }
}

/** One key's request within a {@link Batch}. */
export class BatchPart<R> implements Retriable, DecodeContext {
  readonly batch: Batch<R>;
  /** The caller's key, as results are keyed. */
  readonly key: string;
  /** The key on the wire (namespaced, maybe shortened), as replies carry it. */
  readonly wireKey: string;
  readonly request: Command;
  readonly raw: boolean;
  readonly timeout: number | undefined;
  server: string;
  opaque = 0;
  deadline = 0;
  attempts = 0;
  #settled = false;

  constructor(
    batch: Batch<R>,
    key: string,
    wireKey: string,
    request: Command,
    server: string,
    raw: boolean,
    timeout: number | undefined,
  ) {
    this.batch = batch;
    this.key = key;
    this.wireKey = wireKey;
    this.request = request;
    this.server = server;
    this.raw = raw;
    this.timeout = timeout;
  }

  get operation(): string {
    return this.batch.kind.operation;
  }

  get codec(): ValueCodec {
    return this.batch.codec;
  }

  get inflateBudget(): InflateBudget {
    return this.batch.inflateBudget;
  }

  get idempotent(): boolean {
    return this.batch.kind.idempotent;
  }

  get routeKey(): string {
    return this.wireKey;
  }

  get settled(): boolean {
    return this.#settled || this.batch.done;
  }

  onResponse(reply: Reply): void {
    if (this.#settled) return;
    if (reply.status === ReplyStatus.ok) this.batch.bytes += reply.valueEnd - reply.valueStart;
    try {
      this.batch.kind.record(this, reply, this.batch.results);
    } catch (error) {
      this.fail(error);
      if (error instanceof ProtocolError) throw error;
      return;
    }
    this.#settle(undefined);
  }

  onSilence(): void {
    if (this.#settled) return;
    this.batch.kind.silence(this, this.batch.results);
    this.#settle(undefined);
  }

  onFailure(error: DalliError, sent: boolean): void {
    if (this.settled || this.batch.retrier?.retry(this, error, sent)) return;
    this.fail(error);
  }

  fail(error: unknown): void {
    this.#settle(error as DalliError);
  }

  #settle(error: DalliError | undefined): void {
    if (this.#settled) return;
    this.#settled = true;
    this.batch.settled(this, error);
  }
}

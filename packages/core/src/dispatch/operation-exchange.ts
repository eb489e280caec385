import type { DecodeContext, OperationSpec } from '../commands/operation.ts';
import { MORE_REPLIES } from '../commands/operation.ts';
import { type DalliError, ProtocolError } from '../errors.ts';
import type { Command } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import type { ValueCodec } from '../values/value-codec.ts';
import { type AbortTarget, unwatchAbort, watchAbort } from './abort-watch.ts';
import type { Retriable, Retrier } from './retriable.ts';

/** What every request of one client shares. */
export interface ExchangeContext {
  readonly codec: ValueCodec;
  readonly retrier: Retrier | undefined;
}

/**
 * A single-request operation as a promise. Settles exactly once: by its reply, its failure, or
 * its AbortSignal. An aborted request stays in the connection's queue so that its late reply is
 * consumed in order and discarded, never handed to another caller. It is its own decode context,
 * so a request costs one object and one promise.
 */
export class OperationExchange<T> implements Retriable, DecodeContext, AbortTarget {
  readonly #spec: OperationSpec<T>;
  readonly request: Command;
  readonly routeKey: string | undefined;
  readonly codec: ValueCodec;
  readonly raw: boolean;
  readonly timeout: number | undefined;
  server: string;
  opaque = 0;
  deadline = 0;
  attempts = 0;
  /** Sent with nothing else in flight on its connection (see Exchange.alone). */
  alone = false;
  /** Value bytes received in replies (for diagnostics). */
  replyBytes = 0;
  readonly promise: Promise<T>;
  readonly #retrier: Retrier | undefined;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #signal: AbortSignal | undefined;

  // Positional parameters rather than an options bag: this runs once per request.
  constructor(
    spec: OperationSpec<T>,
    server: string,
    request: Command,
    routeKey: string | undefined,
    context: ExchangeContext,
    raw: boolean,
    timeout: number | undefined,
    signal: AbortSignal | undefined,
  ) {
    this.#spec = spec;
    this.server = server;
    this.request = request;
    this.routeKey = routeKey;
    this.codec = context.codec;
    this.#retrier = context.retrier;
    this.raw = raw;
    this.timeout = timeout;
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (signal !== undefined) {
      this.#signal = signal;
      watchAbort(signal, this);
    }
  }

  get operation(): string {
    return this.#spec.name;
  }

  get idempotent(): boolean {
    return this.#spec.idempotent;
  }

  get settled(): boolean {
    return this.#settled;
  }

  get spec(): OperationSpec<T> {
    return this.#spec;
  }

  onResponse(reply: Reply): void {
    if (this.#settled) return;
    if (reply.status === ReplyStatus.ok) this.replyBytes += reply.valueEnd - reply.valueStart;
    let result: T | typeof MORE_REPLIES;
    try {
      result = this.#spec.decode(reply, this);
    } catch (error) {
      this.fail(error);
      // A reply that cannot be this request's means the replies are out of step.
      if (error instanceof ProtocolError) throw error;
      return;
    }
    if (result !== MORE_REPLIES && this.#settle()) this.#resolve(result);
  }

  onSilence(): void {
    // A get sent within a multi-key get: the END passed over its key, a miss.
    if (this.#spec.missOnSilence === true) {
      if (this.#settle()) this.#resolve(undefined as T);
      return;
    }
    // Other single-request operations are never quiet.
    this.fail(new ProtocolError('a reply was skipped', { server: this.server, operation: this.operation }));
  }

  onFailure(error: DalliError, sent: boolean): void {
    if (this.#settled || this.#retrier?.retry(this, error, sent)) return;
    this.fail(error);
  }

  /** The AbortSignal fired: the caller stops waiting; the reply, if any, will be discarded. */
  onAbort(reason: unknown): void {
    this.fail(reason);
  }

  fail(error: unknown): void {
    if (this.#settle()) this.#reject(error);
  }

  /** Marks the exchange settled; false if it already was. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#signal !== undefined) unwatchAbort(this.#signal, this);
    return true;
  }
}

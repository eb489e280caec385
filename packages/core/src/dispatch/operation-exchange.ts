import type { DecodeContext } from '../commands/decoders.ts';
import { type DalliError, ProtocolError } from '../errors.ts';
import { type Request, type ResponseFrame, Status } from '../protocol/binary/index.ts';
import type { ValueCodec } from '../values/value-codec.ts';
import { type AbortTarget, unwatchAbort, watchAbort } from './abort-watch.ts';
import type { Retriable, Retrier } from './retriable.ts';

/** Returned by a decoder while a reply spans several frames (STAT); the exchange waits for the next. */
export const MORE_FRAMES: unique symbol = Symbol('more frames');

/** Turns an operation's reply frame into its result, or throws a typed error for this request only. */
export type Decode<T> = (frame: ResponseFrame, context: DecodeContext) => T | typeof MORE_FRAMES;

/** What kind of operation a request serves: defined once per operation, shared by its requests. */
export interface OperationSpec<T> {
  readonly name: string;
  readonly decode: Decode<T>;
  /** Safe to resend after it reached the server (reads, touch, stats): repeating it changes nothing. */
  readonly idempotent: boolean;
  /** A read of one key, whose result says hit or miss (for diagnostics). */
  readonly read?: boolean;
}

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
  readonly request: Request;
  readonly routeKey: string | undefined;
  readonly codec: ValueCodec;
  readonly raw: boolean;
  readonly timeout: number | undefined;
  server: string;
  opaque = 0;
  deadline = 0;
  attempts = 0;
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
    request: Request,
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

  onResponse(frame: ResponseFrame): void {
    if (this.#settled) return;
    if (frame.status === Status.noError) this.replyBytes += frame.bodyLength - frame.extrasLength - frame.keyLength;
    let result: T | typeof MORE_FRAMES;
    try {
      result = this.#spec.decode(frame, this);
    } catch (error) {
      this.fail(error);
      // A reply that cannot be this request's means the replies are out of step.
      if (error instanceof ProtocolError) throw error;
      return;
    }
    if (result !== MORE_FRAMES && this.#settle()) this.#resolve(result);
  }

  onSilence(): void {
    // Only single-request operations that are never quiet use this class.
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

import type { DalliError } from '../errors.ts';
import type { Request, ResponseFrame } from '../protocol/index.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { ValueCodec } from '../values/value-codec.ts';
import type { DecodeContext } from './decoders.ts';

/** Returned by a decoder while a reply spans several frames (STAT); the exchange waits for the next. */
export const MORE_FRAMES: unique symbol = Symbol('more frames');

/** Turns an operation's reply frame into its result, or throws a typed error for this request only. */
export type Decode<T> = (frame: ResponseFrame, context: DecodeContext) => T | typeof MORE_FRAMES;

/**
 * A single-request operation as a promise. Settles exactly once: by its reply, its failure, or
 * its AbortSignal. An aborted request stays in the connection's queue so that its late reply is
 * consumed in order and discarded, never handed to another caller. It is its own decode context,
 * so a request costs one object and one promise.
 */
export class OperationExchange<T> implements Exchange, DecodeContext {
  readonly operation: string;
  readonly server: string;
  readonly request: Request;
  readonly codec: ValueCodec;
  readonly raw: boolean;
  readonly timeout: number | undefined;
  opaque = 0;
  deadline = 0;
  readonly promise: Promise<T>;
  /** What a quiet request resolves to when a later reply passes it over. */
  silentResult: T | undefined;
  readonly #decode: Decode<T>;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #signal: AbortSignal | undefined;

  // Positional parameters rather than an options bag: this runs once per request.
  constructor(
    operation: string,
    server: string,
    request: Request,
    decode: Decode<T>,
    codec: ValueCodec,
    raw: boolean,
    timeout: number | undefined,
    signal: AbortSignal | undefined,
  ) {
    this.operation = operation;
    this.server = server;
    this.request = request;
    this.#decode = decode;
    this.codec = codec;
    this.raw = raw;
    this.timeout = timeout;
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (signal !== undefined) {
      this.#signal = signal;
      // The exchange itself is the listener (handleEvent), so requests without a signal pay for no closure.
      signal.addEventListener('abort', this, { once: true });
    }
  }

  onResponse(frame: ResponseFrame): boolean {
    if (this.#settled) return true;
    let result: T | typeof MORE_FRAMES;
    try {
      result = this.#decode(frame, this);
    } catch (error) {
      this.#fail(error);
      return true;
    }
    if (result === MORE_FRAMES) return false;
    this.#fulfil(result);
    return true;
  }

  onSilence(): void {
    this.#fulfil(this.silentResult as T);
  }

  onFailure(error: DalliError): void {
    this.#fail(error);
  }

  /** The AbortSignal fired: the caller stops waiting; the reply, if any, will be discarded. */
  handleEvent(): void {
    this.#fail(this.#signal?.reason);
  }

  #fulfil(value: T): void {
    if (this.#settle()) this.#resolve(value);
  }

  #fail(error: unknown): void {
    if (this.#settle()) this.#reject(error);
  }

  /** Marks the exchange settled; false if it already was. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#signal?.removeEventListener('abort', this);
    return true;
  }
}

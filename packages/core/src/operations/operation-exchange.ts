import type { DalliError } from '../errors.ts';
import type { Request, ResponseFrame } from '../protocol/index.ts';
import type { Exchange } from '../transport/exchange.ts';

/** Turns an operation's reply frame into its result, or throws a typed error for this request only. */
export type Decode<T> = (frame: ResponseFrame, exchange: OperationExchange<T>) => T;

/**
 * A single-request operation as a promise. Settles exactly once: by its reply, its failure, or
 * its AbortSignal. An aborted request stays in the connection's queue so that its late reply is
 * consumed in order and discarded, never handed to another caller.
 */
export class OperationExchange<T> implements Exchange {
  readonly operation: string;
  readonly request: Request;
  readonly timeout: number | undefined;
  /** The server the request went to, for error messages. */
  readonly server: string;
  /** Operation state a decoder needs (the value codec, for reads). */
  readonly context: unknown;
  opaque = 0;
  deadline = 0;
  readonly promise: Promise<T>;
  readonly #decode: Decode<T>;
  readonly #silentResult: T | undefined;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #signal: AbortSignal | undefined;

  constructor(
    operation: string,
    server: string,
    request: Request,
    decode: Decode<T>,
    options: { timeout?: number | undefined; signal?: AbortSignal | undefined; context?: unknown; silentResult?: T },
  ) {
    this.operation = operation;
    this.server = server;
    this.request = request;
    this.#decode = decode;
    this.timeout = options.timeout;
    this.context = options.context;
    this.#silentResult = options.silentResult;
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const signal = options.signal;
    if (signal !== undefined) {
      this.#signal = signal;
      // The exchange itself is the listener (handleEvent), so requests without a signal pay for no closure.
      signal.addEventListener('abort', this, { once: true });
    }
  }

  onResponse(frame: ResponseFrame): boolean {
    if (this.#settled) return true;
    let result: T;
    try {
      result = this.#decode(frame, this);
    } catch (error) {
      this.#fail(error);
      return true;
    }
    this.#fulfil(result);
    return true;
  }

  onSilence(): void {
    this.#fulfil(this.#silentResult as T);
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

import { InvalidArgumentError } from '../errors.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';
import type { Exchange } from './exchange.ts';
import { FrameExchange } from './frame-exchange.ts';
import { OutputBuffer } from './output-buffer.ts';
import { RequestQueue } from './request-queue.ts';
import type { WriteWindow } from './write-window.ts';

/** Writes bytes to the socket; `done` runs once the socket no longer holds them. */
export type WriteBytes = (bytes: Buffer, done: () => void) => void;

/**
 * The write side of a connection: requests issued in one tick are encoded into one buffer and
 * leave in one socket write (on the next tick), each given its opaque and, once written, its
 * deadline. Requests issued before the connection may write, or that must wait (a request sent
 * alone in flight, a full TLS write window), queue in order in `waiting`.
 */
export class TickWriter {
  readonly #protocol: WireProtocol;
  readonly #out: OutputBuffer;
  readonly #inFlight: RequestQueue<Exchange>;
  /** Over TLS only: bounds the bytes written and not yet answered. */
  readonly window: WriteWindow | undefined;
  readonly #server: string;
  readonly #timeout: number;
  readonly #write: WriteBytes;
  /** Issued before the connection was ready, or (over TLS) while the write window was full; encoded in order later. */
  readonly waiting: RequestQueue<Exchange> = new RequestQueue<Exchange>();
  /** False once the connection is closed: a scheduled write is dropped. */
  open = true;
  #flushScheduled = false;
  /** `performance.now()` at the first request of the current tick. */
  #tickNow = 0;
  #opaque = 0;
  /** Requests encoded since the last write: their deadlines start when that write goes out. */
  #unwritten = 0;
  /** The last request encoded, if quiet: the write must not end with it. */
  #trailingQuiet: Exchange | undefined;
  /** Socket writes so far: each carries every request issued in one tick. */
  writes = 0;
  /** A request sent alone (see Exchange.alone), while it is in flight: nothing else is written meanwhile. */
  alone: Exchange | undefined;

  constructor(
    protocol: WireProtocol,
    inFlight: RequestQueue<Exchange>,
    window: WriteWindow | undefined,
    server: string,
    timeout: number,
    write: WriteBytes,
  ) {
    this.#protocol = protocol;
    this.#out = new OutputBuffer(protocol);
    this.#inFlight = inFlight;
    this.window = window;
    this.#server = server;
    this.#timeout = timeout;
    this.#write = write;
  }

  /** Gives `exchange` its provisional deadline (the first request of a tick reads the clock) and returns it. */
  stamp(exchange: Exchange, ready: boolean): number {
    if (!this.#flushScheduled || !ready) this.#tickNow = performance.now();
    exchange.deadline = this.#tickNow + (exchange.timeout ?? this.#timeout);
    return exchange.deadline;
  }

  /** Encodes `exchange` for this tick's write, or queues it behind the waiting ones. */
  admit(exchange: Exchange, ready: boolean): void {
    if (!ready || this.waiting.size > 0 || !this.mayAppend(exchange)) {
      this.waiting.push(exchange);
      return;
    }
    if (this.append(exchange)) this.scheduleFlush();
  }

  /** Encodes a request now, ahead of the waiting ones (the connection's own frames). */
  appendNow(exchange: Exchange): void {
    if (this.append(exchange)) this.scheduleFlush();
  }

  /** Encodes the requests that waited, in order, as far as a request sent alone and the write window allow. */
  appendWaiting(): void {
    for (let next = this.waiting.peek(); next !== undefined; next = this.waiting.peek()) {
      if (!this.mayAppend(next)) return;
      this.append(this.waiting.shift() as Exchange);
    }
  }

  /** A reply freed room in the write window, or ended a request sent alone: send what waited for it. */
  releaseWaiting(): void {
    if (this.waiting.size === 0) return;
    this.appendWaiting();
    this.scheduleFlush();
  }

  scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    process.nextTick(this.flush);
  }

  /** Writes what this tick encoded. */
  readonly flush = (): void => {
    this.#flushScheduled = false;
    if (!this.open) return;
    const bytes = this.take();
    if (bytes !== undefined) this.#write(bytes, this.released);
  };

  /** Requests in flight whose bytes have been written (not only encoded). */
  get written(): number {
    return this.#inFlight.size - this.#unwritten;
  }

  /**
   * Whether `exchange` may be encoded now: not while a request sent alone is in flight, a request
   * to be sent alone only on an idle connection, and (over TLS) only within the write window.
   */
  mayAppend(exchange: Exchange): boolean {
    if (this.alone !== undefined || (exchange.alone === true && this.#inFlight.size > 0)) return false;
    const window = this.window;
    return window === undefined || window.fits(this.#protocol.encodeBound(exchange.request));
  }

  /** Encodes a request for this tick's write; false (and the request failed) if it cannot be encoded. */
  append(exchange: Exchange): boolean {
    this.#opaque = (this.#opaque + 1) >>> 0;
    exchange.opaque = this.#opaque;
    const before = this.#out.pending;
    try {
      this.#out.append(exchange.request, exchange.opaque);
    } catch (cause) {
      // Arguments are checked before they get here; this guards the stream against a field out of range.
      const context = { server: this.#server, operation: exchange.operation, cause };
      exchange.onFailure(new InvalidArgumentError('the request cannot be encoded', context), false);
      return false;
    }
    this.#inFlight.push(exchange);
    if (exchange.alone === true) this.alone = exchange;
    this.window?.add(this.#out.pending - before);
    this.#unwritten++;
    this.#trailingQuiet = this.#protocol.isQuiet(exchange.request) ? exchange : undefined;
    return true;
  }

  /**
   * This tick's bytes, or undefined when nothing was encoded. A quiet request is only known to
   * have succeeded when a later reply arrives, so a write never ends with one: a barrier (NOOP,
   * mn) follows, sharing its deadline, and its reply settles it.
   */
  take(): Buffer | undefined {
    const quiet = this.#trailingQuiet;
    const barrier = quiet === undefined ? undefined : new FrameExchange(this.#protocol.barrier, 'noop');
    if (barrier !== undefined) this.append(barrier);
    const bytes = this.#out.take();
    if (bytes === undefined) return undefined;
    this.#startDeadlines();
    if (barrier !== undefined) barrier.deadline = (quiet as Exchange).deadline;
    this.writes++;
    return bytes;
  }

  /** The socket no longer holds the last bytes written, so their slab space can be reused. */
  readonly released = (): void => this.#out.written();

  /**
   * A request's deadline runs from when its bytes are written, not from when it was issued: work
   * done in the same tick after it (encoding other requests, compressing their values) must not
   * eat into its time. The provisional deadline set by `send` stays armed; the sweep re-arms.
   */
  #startDeadlines(): void {
    const now = performance.now();
    const size = this.#inFlight.size;
    for (let i = Math.max(0, size - this.#unwritten); i < size; i++) {
      const exchange = this.#inFlight.at(i) as Exchange;
      exchange.deadline = now + (exchange.timeout ?? this.#timeout);
    }
    this.#unwritten = 0;
  }
}

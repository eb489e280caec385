import type { Socket } from 'node:net';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { ConnectionError, DalliError, ProtocolError, TimeoutError } from '../errors.ts';
import { FrameError, FrameReader, isQuiet, type Request, type ResponseFrame } from '../protocol/index.ts';
import type { Exchange } from './exchange.ts';
import { FrameExchange, noopExchange } from './frame-exchange.ts';
import { openSocket, readyEvent, type SocketAddress } from './open-socket.ts';
import { OutputBuffer } from './output-buffer.ts';
import { RequestQueue } from './request-queue.ts';

/**
 * Runs on every new socket before any other request may be written (SASL authentication).
 * `send` writes a frame at once and resolves with its reply, whatever the status.
 */
export type Handshake = (send: (request: Request) => Promise<ResponseFrame>) => Promise<void>;

export interface ConnectionOptions {
  /** The server's configured name, used in every error message. */
  readonly server: string;
  readonly address: SocketAddress;
  /** Node `tls.connect` options; plain TCP (or Unix socket) when undefined. */
  readonly tls?: TlsOptions | undefined;
  /** Milliseconds a request (or the connect and handshake) may take, unless the request sets its own. */
  readonly timeout: number;
  /** Largest reply body accepted, in bytes; a longer one is a protocol error. */
  readonly maxBodyLength: number;
  readonly handshake?: Handshake | undefined;
}

type State = 'connecting' | 'handshaking' | 'ready' | 'closed';

/**
 * One socket to one server, carrying every request pipelined. Requests issued in the same tick
 * leave in one write; replies are matched to requests by opaque, in order. As soon as the replies
 * could be out of step with the requests (a timeout with bytes still owed, a malformed frame, an
 * unexpected opaque, an early EOF) the connection is destroyed and every request on it fails: a
 * reply is never delivered to the wrong caller. A destroyed connection is never reused.
 */
export class Connection {
  readonly server: string;
  #state: State = 'connecting';
  readonly #socket: Socket;
  readonly #timeout: number;
  readonly #reader: FrameReader;
  readonly #out = new OutputBuffer();
  /** Written (or about to be written this tick), awaiting replies, in wire order. */
  readonly #inFlight = new RequestQueue<Exchange>();
  /** Issued before the connection was ready; encoded once it is. */
  readonly #waiting = new RequestQueue<Exchange>();
  #opaque = 0;
  #flushScheduled = false;
  #lastEncodedQuiet = false;
  #idle = false;
  #closeRequested = false;
  #writes = 0;
  /** One timer for all deadlines: it fires at the earliest known deadline and sweeps. */
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  readonly #closed: Promise<void>;
  #markClosed!: () => void;

  constructor(options: ConnectionOptions) {
    this.server = options.server;
    this.#timeout = options.timeout;
    this.#reader = new FrameReader({ maxBodyLength: options.maxBodyLength, onFrame: this.#onFrame });
    this.#closed = new Promise((resolve) => {
      this.#markClosed = resolve;
    });
    const socket = openSocket(options.address, options.tls);
    this.#socket = socket;
    socket.once(readyEvent(options.tls), () => this.#onConnect(options.handshake));
    socket.on('data', this.#onData);
    socket.on('error', this.#onError);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onClose);
  }

  /** False once destroyed or closing: such a connection takes no new requests. */
  get usable(): boolean {
    return this.#state !== 'closed' && !this.#closeRequested;
  }

  get ready(): boolean {
    return this.#state === 'ready';
  }

  /** Requests issued and not yet answered (including those waiting for the connect). */
  get pending(): number {
    return this.#inFlight.size + this.#waiting.size;
  }

  /** Socket writes so far: each carries every request issued in one tick. */
  get writes(): number {
    return this.#writes;
  }

  /** Resolves when the socket is gone, however it ended. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  send(exchange: Exchange): void {
    if (!this.usable) {
      exchange.onFailure(this.#connectionError(exchange, 'the connection is closed'));
      return;
    }
    exchange.deadline = performance.now() + (exchange.timeout ?? this.#timeout);
    if (exchange.deadline < this.#timerAt) this.#armTimer(exchange.deadline);
    if (this.#idle) {
      this.#idle = false;
      this.#socket.ref();
    }
    if (this.#state === 'ready') this.#encode(exchange);
    else this.#waiting.push(exchange);
  }

  /** Lets in-flight requests finish, then closes the socket. New requests are refused meanwhile. */
  close(): Promise<void> {
    this.#closeRequested = true;
    if (this.pending === 0) this.#destroy(() => new ConnectionError('closed'));
    return this.#closed;
  }

  /** Closes at once; every pending request fails with `error` (or a plain connection error). */
  destroy(reason = 'the connection was destroyed'): void {
    this.#destroy((exchange) => this.#connectionError(exchange, reason));
  }

  /** Encodes a request for the write at the end of this tick. */
  #encode(exchange: Exchange): void {
    this.#append(exchange);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flush);
    }
  }

  #append(exchange: Exchange): void {
    this.#opaque = (this.#opaque + 1) >>> 0;
    exchange.opaque = this.#opaque;
    this.#out.append(exchange.request, exchange.opaque);
    this.#inFlight.push(exchange);
    this.#lastEncodedQuiet = isQuiet(exchange.request.opcode);
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#state === 'closed') return;
    // A quiet request is only known to have succeeded when a later reply arrives, so a write
    // never ends with one: a NOOP follows, and its reply settles the quiet requests before it.
    if (this.#lastEncodedQuiet) {
      const noop = noopExchange('noop');
      noop.deadline = performance.now() + this.#timeout;
      this.#append(noop);
    }
    const bytes = this.#out.take();
    if (bytes === undefined) return;
    this.#writes++;
    this.#socket.write(bytes);
  };

  #onConnect(handshake: Handshake | undefined): void {
    if (this.#state !== 'connecting') return;
    if (handshake === undefined) {
      this.#becomeReady();
      return;
    }
    this.#state = 'handshaking';
    handshake(this.#sendDuringHandshake).then(
      () => this.#becomeReady(),
      (error: unknown) => {
        const failure = error instanceof DalliError ? error : undefined;
        this.#destroy((exchange) => failure ?? this.#connectionError(exchange, 'handshake failed', error));
      },
    );
  }

  readonly #sendDuringHandshake = (request: Request): Promise<ResponseFrame> => {
    const exchange = new FrameExchange(request, 'handshake');
    if (this.#state !== 'handshaking') {
      exchange.onFailure(this.#connectionError(exchange, 'the connection is closed'));
      return exchange.reply;
    }
    exchange.deadline = performance.now() + this.#timeout;
    if (exchange.deadline < this.#timerAt) this.#armTimer(exchange.deadline);
    this.#append(exchange);
    this.#flush();
    return exchange.reply;
  };

  #becomeReady(): void {
    if (this.#state === 'closed') return;
    this.#state = 'ready';
    for (let exchange = this.#waiting.shift(); exchange !== undefined; exchange = this.#waiting.shift()) {
      this.#encode(exchange);
    }
  }

  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#reader.push(chunk);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#destroy((exchange) => new ProtocolError(message, this.#context(exchange, error)));
    }
  };

  /** Matches a reply to the oldest request: quiet requests it passes over succeeded silently. */
  readonly #onFrame = (frame: ResponseFrame): void => {
    for (;;) {
      const exchange = this.#inFlight.peek();
      if (exchange === undefined) {
        throw new FrameError(`reply with opaque ${frame.opaque} matches no request in flight`);
      }
      if (exchange.opaque === frame.opaque) {
        if (frame.opcode !== exchange.request.opcode) {
          throw new FrameError(
            `reply opcode 0x${frame.opcode.toString(16)} does not match request opcode 0x${exchange.request.opcode.toString(16)}`,
          );
        }
        if (exchange.onResponse(frame)) this.#complete();
        return;
      }
      if (!isQuiet(exchange.request.opcode)) {
        throw new FrameError(`reply with opaque ${frame.opaque} arrived before the reply to opaque ${exchange.opaque}`);
      }
      this.#complete();
      exchange.onSilence();
    }
  };

  #complete(): void {
    this.#inFlight.shift();
    if (this.pending > 0) return;
    if (this.#closeRequested) {
      this.#destroy(() => new ConnectionError('closed'));
      return;
    }
    // An idle connection must not keep the process alive; it is re-referenced on the next send.
    this.#idle = true;
    this.#socket.unref();
  }

  readonly #onError = (error: Error): void => {
    this.#destroy((exchange) => this.#connectionError(exchange, error.message, error));
  };

  readonly #onEnd = (): void => {
    if (this.pending === 0 && !this.#reader.midFrame) {
      this.#destroy(() => new ConnectionError('closed'));
      return;
    }
    const where = this.#reader.midFrame ? 'in the middle of a reply' : 'with replies still owed';
    this.#destroy((exchange) => this.#connectionError(exchange, `the server closed the connection ${where}`));
  };

  readonly #onClose = (): void => {
    this.#destroy((exchange) => this.#connectionError(exchange, 'the connection closed'));
  };

  #armTimer(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(deadline - performance.now())));
    this.#timer.unref();
  }

  /** Fails the connection if any deadline has passed; otherwise re-arms for the earliest one. */
  readonly #sweep = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let earliest = Number.POSITIVE_INFINITY;
    const visit = (exchange: Exchange): void => {
      if (exchange.deadline < earliest) earliest = exchange.deadline;
    };
    this.#inFlight.forEach(visit);
    this.#waiting.forEach(visit);
    if (earliest === Number.POSITIVE_INFINITY) return;
    if (earliest > now) {
      this.#armTimer(earliest);
      return;
    }
    const phase = this.#state === 'ready' ? 'reply' : this.#state === 'connecting' ? 'connection' : 'handshake';
    this.#destroy((exchange) =>
      exchange.deadline <= now
        ? new TimeoutError(`no ${phase} within ${exchange.timeout ?? this.#timeout} ms`, this.#context(exchange))
        : this.#connectionError(exchange, 'closed because an earlier request on the connection timed out'),
    );
  };

  #destroy(errorFor: (exchange: Exchange) => DalliError): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#socket.destroy();
    const failed = [...this.#inFlight.drain(), ...this.#waiting.drain()];
    for (const exchange of failed) exchange.onFailure(errorFor(exchange));
    this.#markClosed();
  }

  #connectionError(exchange: Exchange, message: string, cause?: unknown): ConnectionError {
    return new ConnectionError(message, this.#context(exchange, cause));
  }

  #context(exchange: Exchange, cause?: unknown): { server: string; operation: string; cause: unknown } {
    return { server: this.server, operation: exchange.operation, cause };
  }
}

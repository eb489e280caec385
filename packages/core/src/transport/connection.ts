import type { Socket } from 'node:net';
import {
  AuthError,
  ConnectionError,
  DalliError,
  InvalidArgumentError,
  ProtocolError,
  ReplyTooLargeError,
  TimeoutError,
  UnsupportedCommandError,
  withoutStackTraces,
} from '../errors.ts';
import type { Command } from '../protocol/command.ts';
import { FrameError } from '../protocol/frame-error.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import type { ReplyReader, WireProtocol } from '../protocol/wire-protocol.ts';
import type { ConnectionOptions } from './connection-options.ts';
import { DeadlineTimer } from './deadline-timer.ts';
import type { Exchange } from './exchange.ts';
import { FrameExchange } from './frame-exchange.ts';
import { openSocket, readyEvent } from './open-socket.ts';
import { OutputBuffer } from './output-buffer.ts';
import { ReplyBudget } from './reply-budget.ts';
import { RequestQueue } from './request-queue.ts';
import { type Retirement, retirementFor } from './retirement.ts';
import { socketErrorMessage } from './socket-error-message.ts';
import { UnplacedError } from './unplaced-error.ts';
import { WriteWindow } from './write-window.ts';

export type { ConnectionOptions } from './connection-options.ts';

/**
 * Request bytes a TLS connection leaves unanswered at once. memcached < 1.6.39 stalls on a deeper
 * TLS pipeline (see WriteWindow); below one TLS record (16 KiB) it never has more buffered than it reads.
 */
const TLS_WRITE_WINDOW = 16 * 1024;

type State = 'connecting' | 'handshaking' | 'ready' | 'closed';
type ErrorFor = (exchange: Exchange | undefined) => DalliError;

/**
 * One socket to one server, carrying every request pipelined, in any dialect. Requests issued in
 * the same tick leave in one write; replies are matched to requests in order (by opaque where the
 * dialect has one). As soon as the replies could be out of step with the requests (a timeout with
 * bytes still owed, a malformed reply, an unexpected opaque, an early EOF) the connection is
 * destroyed and every request on it fails: a reply is never delivered to the wrong caller. A
 * destroyed connection is never reused; one that timed out with writes owed keeps only its socket,
 * to learn when they are settled (`Retirement`).
 */
export class Connection {
  readonly server: string;
  #state: State = 'connecting';
  readonly #options: ConnectionOptions;
  readonly #socket: Socket;
  readonly #protocol: WireProtocol;
  readonly #reader: ReplyReader;
  readonly #out: OutputBuffer;
  /** Written (or about to be written this tick), awaiting replies, in wire order. */
  readonly #inFlight = new RequestQueue<Exchange>();
  /** Issued before the connection was ready, or (over TLS) while the write window was full; encoded in order later. */
  readonly #waiting = new RequestQueue<Exchange>();
  /** Over TLS only: bounds the bytes written and not yet answered. */
  readonly #window: WriteWindow | undefined;
  readonly #timer = new DeadlineTimer(() => this.#sweep());
  readonly #budget: ReplyBudget;
  #opaque = 0;
  #flushScheduled = false;
  /** `performance.now()` at the first request of the current tick. */
  #tickNow = 0;
  /** Requests encoded since the last write: their deadlines start when that write goes out. */
  #unwritten = 0;
  /** The last request encoded, if quiet: the write must not end with it. */
  #trailingQuiet: Exchange | undefined;
  #idle = false;
  /** Set while a timed-out connection stays open only to learn the outcome of its writes. */
  #retirement: Retirement | undefined;
  /** A request sent alone (see Exchange.alone), while it is in flight: nothing else is written meanwhile. */
  #alone: Exchange | undefined;
  /** An error line naming no request, held until the next reply says whose it is. */
  #unplaced: UnplacedError | undefined;
  #replied = false;
  #closeRequested = false;
  #writes = 0;
  readonly #closed: Promise<void>;
  #markClosed!: () => void;

  constructor(options: ConnectionOptions) {
    this.server = options.server;
    this.#options = options;
    this.#protocol = options.protocol;
    this.#budget = new ReplyBudget(options.maxBodyLength);
    this.#out = new OutputBuffer(options.protocol);
    this.#window = options.tls === undefined ? undefined : new WriteWindow(TLS_WRITE_WINDOW);
    this.#reader = options.protocol.reader(options.maxBodyLength, {
      onReply: this.#onReply,
      onOversized: this.#onOversized,
    });
    this.#closed = new Promise((resolve) => {
      this.#markClosed = resolve;
    });
    const socket = openSocket(options.address, options.tls);
    this.#socket = socket;
    socket.once(readyEvent(options.tls), () => this.#onConnect());
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
      exchange.onFailure(this.#connectionError(exchange, 'the connection is closed'), false);
      return;
    }
    // The first request of a tick reads the clock; the others issued in that tick reuse it.
    if (!this.#flushScheduled || this.#state !== 'ready') this.#tickNow = performance.now();
    exchange.deadline = this.#tickNow + (exchange.timeout ?? this.#options.timeout);
    this.#timer.arm(exchange.deadline);
    if (this.#idle) {
      this.#idle = false;
      this.#socket.ref();
    }
    if (this.#state !== 'ready' || this.#waiting.size > 0 || !this.#mayAppend(exchange)) {
      this.#waiting.push(exchange);
      return;
    }
    if (this.#append(exchange)) this.#scheduleFlush();
  }

  /**
   * Whether `exchange` may be encoded now: not while a request sent alone is in flight, a request
   * to be sent alone only on an idle connection, and (over TLS) only within the write window.
   */
  #mayAppend(exchange: Exchange): boolean {
    if (this.#alone !== undefined || (exchange.alone === true && this.#inFlight.size > 0)) return false;
    const window = this.#window;
    return window === undefined || window.fits(this.#protocol.encodeBound(exchange.request));
  }

  /** Lets in-flight requests finish, then closes the socket. New requests are refused meanwhile. */
  close(): Promise<void> {
    this.#closeRequested = true;
    if (this.pending === 0) this.#destroy(undefined, false);
    return this.#closed;
  }

  /** Encodes a request for this tick's write; false (and the request failed) if it cannot be encoded. */
  #append(exchange: Exchange): boolean {
    this.#opaque = (this.#opaque + 1) >>> 0;
    exchange.opaque = this.#opaque;
    const before = this.#out.pending;
    try {
      this.#out.append(exchange.request, exchange.opaque);
    } catch (cause) {
      // Arguments are checked before they get here; this guards the stream against a field out of range.
      const error = new InvalidArgumentError('the request cannot be encoded', this.#context(exchange, cause));
      exchange.onFailure(error, false);
      return false;
    }
    this.#inFlight.push(exchange);
    if (exchange.alone === true) this.#alone = exchange;
    this.#window?.add(this.#out.pending - before);
    this.#unwritten++;
    this.#trailingQuiet = this.#protocol.isQuiet(exchange.request) ? exchange : undefined;
    return true;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    process.nextTick(this.#flush);
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#state === 'closed') return;
    // A quiet request is only known to have succeeded when a later reply arrives, so a write
    // never ends with one: a barrier (NOOP, mn) follows, sharing its deadline, and its reply settles it.
    const quiet = this.#trailingQuiet;
    const barrier = quiet === undefined ? undefined : new FrameExchange(this.#protocol.barrier, 'noop');
    if (barrier !== undefined) this.#append(barrier);
    const bytes = this.#out.take();
    if (bytes === undefined) return;
    this.#startDeadlines();
    if (barrier !== undefined) barrier.deadline = (quiet as Exchange).deadline;
    this.#writes++;
    this.#socket.write(bytes, this.#written);
  };

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
      exchange.deadline = now + (exchange.timeout ?? this.#options.timeout);
    }
    this.#unwritten = 0;
  }

  /** The socket no longer holds the last bytes written, so their slab space can be reused. */
  readonly #written = (): void => this.#out.written();

  #onConnect(): void {
    if (this.#state !== 'connecting') return;
    const greeting = this.#protocol.greeting;
    const handshake = this.#options.handshake;
    // Not before a login: memcached -S hangs up on anything but SASL frames before it.
    if (greeting !== undefined && handshake === undefined) {
      const exchange = new FrameExchange(greeting, 'noop');
      exchange.deadline = performance.now() + this.#options.timeout;
      this.#timer.arm(exchange.deadline);
      this.#append(exchange);
      this.#scheduleFlush();
    }
    if (handshake === undefined) {
      this.#becomeReady();
      return;
    }
    this.#state = 'handshaking';
    handshake(this.#sendDuringHandshake).then(
      () => this.#becomeReady(),
      (error: unknown) => {
        if (error instanceof AuthError) {
          this.#refuseAuth(error);
          return;
        }
        const failure = error instanceof DalliError ? error : undefined;
        this.#destroy((exchange) => failure ?? this.#connectionError(exchange, 'handshake failed', error), true);
      },
    );
  }

  readonly #sendDuringHandshake = (request: Command): Promise<Reply> => {
    const exchange = new FrameExchange(request, 'handshake');
    if (this.#state !== 'handshaking') {
      exchange.onFailure(this.#connectionError(exchange, 'the connection is closed'));
      return exchange.reply;
    }
    exchange.deadline = performance.now() + this.#options.timeout;
    this.#timer.arm(exchange.deadline);
    // Frames sent together in the handshake leave in one write, like any others.
    if (this.#append(exchange)) this.#scheduleFlush();
    return exchange.reply;
  };

  #becomeReady(): void {
    if (this.#state === 'closed') return;
    this.#state = 'ready';
    this.#options.onReady?.();
    this.#appendWaiting();
    this.#flush();
  }

  /** Encodes the requests that waited, in order, as far as a request sent alone and the write window allow. */
  #appendWaiting(): void {
    for (let next = this.#waiting.peek(); next !== undefined; next = this.#waiting.peek()) {
      if (!this.#mayAppend(next)) return;
      this.#append(this.#waiting.shift() as Exchange);
    }
  }

  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#reader.push(chunk);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#destroy((exchange) => new ProtocolError(message, this.#context(exchange, error)), true);
    }
  };

  readonly #onReply = (reply: Reply): void => {
    if (this.#retirement !== undefined) {
      if (this.#retirement.take(reply, this.#protocol)) this.#endRetirement();
      return;
    }
    if (this.#unplaced !== undefined) this.#placeError(this.#unplaced, reply);
    else if (this.#protocol.namesNoRequest?.(reply) === true && this.#holdError(reply)) return;
    const exchange = this.#match(reply);
    const overBudget = this.#budget.charge(reply.valueEnd - reply.valueStart);
    if (overBudget !== undefined) throw new FrameError(overBudget);
    if (reply.status === ReplyStatus.authError && this.#state === 'ready') {
      // memcached -S (and -Y) answers an unauthenticated request with an auth error, then hangs up.
      this.#refuseAuth(this.#authRequiredError(exchange));
      return;
    }
    if (!this.#replied) {
      this.#replied = true;
      this.#options.onReply?.();
    }
    exchange.onResponse(reply);
    if (reply.final) this.#complete();
  };

  /**
   * An error line that names no request, with quiet requests at the front: it answers one of them
   * or the request after them, so it waits for the next reply to place it. When that request is
   * the last in flight, a barrier follows it so that a next reply surely comes. False (nothing
   * held) when the oldest request is not quiet: the line is simply its reply.
   */
  #holdError(reply: Reply): boolean {
    const inFlight = this.#inFlight;
    let quiet = 0;
    while (quiet < inFlight.size && this.#protocol.isQuiet((inFlight.at(quiet) as Exchange).request)) quiet++;
    if (quiet === 0) return false;
    if (quiet === inFlight.size) throw new FrameError('an error line arrived with only quiet requests in flight');
    this.#unplaced = new UnplacedError(reply, quiet);
    if (quiet === inFlight.size - 1) {
      const barrier = new FrameExchange(this.#protocol.barrier, 'noop');
      barrier.deadline = performance.now() + this.#options.timeout;
      this.#timer.arm(barrier.deadline);
      this.#append(barrier);
      this.#scheduleFlush();
    }
    return true;
  }

  /** The reply after a held error line says whose it was (see {@link UnplacedError}); they take it now. */
  #placeError(unplaced: UnplacedError, next: Reply): void {
    this.#unplaced = undefined;
    const { failed, silent, own } = unplaced.place(next, this.#inFlight, this.#protocol);
    for (let i = 0; i < failed + silent; i++) {
      const exchange = this.#inFlight.shift() as Exchange;
      this.#window?.answered();
      if (i < failed) exchange.onResponse(unplaced.reply);
      else exchange.onSilence();
    }
    if (!own) return;
    (this.#inFlight.at(0) as Exchange).onResponse(unplaced.reply);
    this.#complete();
  }

  #authRequiredError(exchange: Exchange): AuthError {
    const message =
      this.#options.handshake === undefined
        ? `the server requires ${this.#protocol.loginName} authentication and no username and password are configured`
        : 'the server refused the request as unauthenticated';
    return new AuthError(message, this.#context(exchange));
  }

  /** Authentication was refused: every request here fails with it; the server is not at fault. */
  #refuseAuth(error: AuthError): void {
    this.#options.onAuthFailed?.(error);
    this.#destroy((exchange) => new AuthError(error.detail, this.#context(exchange)), false);
  }

  /** A reply whose body is over `maxBodyLength`: its body is skipped and only its request fails. */
  readonly #onOversized = (reply: Reply, length: number): void => {
    if (this.#retirement !== undefined) {
      if (this.#retirement.take(reply, this.#protocol)) this.#endRetirement();
      return;
    }
    const exchange = this.#match(reply);
    const limit = this.#options.maxBodyLength;
    const message = `the reply is ${length} bytes, over the ${limit}-byte limit set by valueMaxBytes`;
    const error = new ReplyTooLargeError(message, this.#context(exchange));
    if (exchange.onOversized === undefined) exchange.onFailure(error, true);
    else exchange.onOversized(reply, error);
    // A text VALUE is followed by END: the request is complete only then.
    if (reply.final) this.#complete();
  };

  /**
   * Finds the request a reply answers: the oldest in flight, after any quiet requests that the
   * reply proves succeeded. Everything is checked before anything is settled, so a reply that
   * fits no request (unknown opaque, wrong command, a request skipped that was not quiet)
   * settles nothing: the connection is destroyed and every request on it fails.
   */
  #match(reply: Reply): Exchange {
    const protocol = this.#protocol;
    let index = 0;
    for (let exchange = this.#inFlight.at(0); exchange !== undefined; exchange = this.#inFlight.at(++index)) {
      if (protocol.answers(reply, exchange.request, exchange.opaque)) {
        for (let i = 0; i < index; i++) {
          const silent = this.#inFlight.shift() as Exchange;
          this.#window?.answered();
          silent.onSilence();
        }
        return exchange;
      }
    }
    throw new FrameError('a reply matches no request in flight');
  }

  #complete(): void {
    if (this.#inFlight.shift() === this.#alone) this.#alone = undefined;
    this.#budget.reset();
    this.#window?.answered();
    this.#releaseWaiting();
    if (this.pending > 0) return;
    if (this.#closeRequested) {
      this.#destroy(undefined, false);
      return;
    }
    // An idle connection must not keep the process alive; it is re-referenced on the next send.
    this.#idle = true;
    this.#socket.unref();
  }

  /** A reply freed room in the write window, or ended a request sent alone: send what waited for it. */
  #releaseWaiting(): void {
    if (this.#waiting.size === 0 || this.#state !== 'ready') return;
    this.#appendWaiting();
    this.#scheduleFlush();
  }

  readonly #onError = (error: Error): void => {
    const message = socketErrorMessage(error, {
      tls: this.#options.tls !== undefined,
      connecting: this.#state === 'connecting',
      replied: this.#replied,
    });
    this.#destroy((exchange) => this.#connectionError(exchange, message, error), true);
  };

  readonly #onEnd = (): void => {
    if (this.pending === 0 && !this.#reader.midReply) {
      // memcached closed an idle connection (a restart, an idle timeout): not a failure.
      this.#destroy(undefined, false);
      return;
    }
    const alone = this.#alone;
    if (alone !== undefined && !this.#reader.midReply) {
      this.#refuseAlone(alone);
      return;
    }
    const where = this.#reader.midReply ? 'in the middle of a reply' : 'with replies still owed';
    // twemproxy and mcrouter hang up on a request in a dialect they cannot parse.
    const hint = this.#replied ? '' : `, before any reply (does it speak the ${this.#protocol.name} protocol?)`;
    this.#destroy(
      (exchange) => this.#connectionError(exchange, `the server closed the connection ${where}${hint}`),
      true,
    );
  };

  /**
   * The server hung up while a request sent alone was the only one in flight, before answering
   * it: the way twemproxy refuses a command it does not know. That request fails with an
   * UnsupportedCommandError; the server is not counted as failing, and the requests waiting
   * behind it, never written, go again on a new connection (their error names the cause).
   */
  #refuseAlone(alone: Exchange): void {
    const message = `the server closed the connection on ${alone.operation} without answering: a proxy that does not support it? (declare it with the "proxy" option)`;
    const refusal = new UnsupportedCommandError(message, this.#context(alone));
    this.#destroy(
      (exchange) =>
        exchange === alone
          ? refusal
          : this.#connectionError(
              exchange,
              `the connection closed on ${alone.operation}, which the server does not support`,
              refusal,
            ),
      false,
    );
  }

  readonly #onClose = (): void => {
    this.#destroy((exchange) => this.#connectionError(exchange, 'the connection closed'), true);
  };

  /** Fails the connection if any deadline has passed; otherwise re-arms for the earliest one. */
  #sweep(): void {
    const now = performance.now();
    let earliest = Number.POSITIVE_INFINITY;
    const visit = (exchange: Exchange): void => {
      if (exchange.deadline < earliest) earliest = exchange.deadline;
    };
    this.#inFlight.forEach(visit);
    this.#waiting.forEach(visit);
    if (earliest === Number.POSITIVE_INFINITY) return;
    if (earliest > now) {
      this.#timer.arm(earliest);
      return;
    }
    const phase = this.#state === 'ready' ? 'reply' : this.#state === 'connecting' ? 'connection' : 'handshake';
    const timeout = (exchange: Exchange): number => exchange.timeout ?? this.#options.timeout;
    // Deadlines within a timer tick of now (requests issued together) count as timed out too.
    const due = now + 1;
    this.#retireIfWritesOwed();
    this.#destroy(
      (exchange) =>
        exchange === undefined || exchange.deadline <= due
          ? new TimeoutError(
              `no ${phase} within ${exchange === undefined ? this.#options.timeout : timeout(exchange)} ms`,
              this.#context(exchange),
            )
          : this.#connectionError(exchange, 'closed because an earlier request on the connection timed out'),
      true,
    );
  }

  /**
   * Closes the socket and fails every request still on the connection. `errorFor` gives each its
   * error (nothing to fail on a clean close); `broken` tells the server this was a failure.
   */
  #destroy(errorFor: ErrorFor | undefined, broken: boolean): void {
    if (this.#state === 'closed') {
      this.#endRetirement();
      return;
    }
    this.#state = 'closed';
    this.#timer.clear();
    if (this.#retirement === undefined) this.#socket.destroy();
    const sent = this.#inFlight.drain();
    const unsent = this.#waiting.drain();
    const fail = errorFor ?? ((exchange: Exchange | undefined) => this.#connectionError(exchange, 'closed'));
    const reason = errorFor === undefined ? undefined : fail(undefined);
    if (broken) this.#options.onBroken?.(reason as DalliError);
    this.#options.onClose?.(reason);
    // One socket failure fans out to every request: no stack capture for each of them.
    const [sentErrors, unsentErrors] = withoutStackTraces(() => [sent.map(fail), unsent.map(fail)]);
    for (let i = 0; i < sent.length; i++) (sent[i] as Exchange).onFailure(sentErrors[i] as DalliError, true);
    for (let i = 0; i < unsent.length; i++) (unsent[i] as Exchange).onFailure(unsentErrors[i] as DalliError, false);
    if (this.#retirement === undefined) this.#markClosed();
  }

  /**
   * A timeout with writes on the wire: rather than dropping the socket (the server could still
   * apply them, in any order against a new connection's), keep it to learn when they are settled.
   */
  #retireIfWritesOwed(): void {
    const told = this.#options.onUnsettledWrites;
    if (told === undefined) return;
    const written = this.#inFlight.size - this.#unwritten;
    const retirement = retirementFor(this.#inFlight, written, () => this.#endRetirement());
    if (retirement === undefined) return;
    this.#retirement = retirement;
    this.#socket.unref();
    told(retirement.keys, retirement.settled);
  }

  #endRetirement(): void {
    const retirement = this.#retirement;
    if (retirement === undefined) return;
    this.#retirement = undefined;
    retirement.end();
    this.#socket.destroy();
    this.#markClosed();
  }

  #connectionError(exchange: Exchange | undefined, message: string, cause?: unknown): ConnectionError {
    return new ConnectionError(message, this.#context(exchange, cause));
  }

  #context(
    exchange: Exchange | undefined,
    cause?: unknown,
  ): { server: string; operation: string | undefined; cause: unknown } {
    return { server: this.server, operation: exchange?.operation, cause };
  }
}

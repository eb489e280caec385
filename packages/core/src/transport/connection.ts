import type { Socket } from 'node:net';
import {
  AuthError,
  ConnectionError,
  DalliError,
  type ErrorContext,
  ProtocolError,
  ReplyTooLargeError,
  withoutStackTraces,
} from '../errors.ts';
import type { Command } from '../protocol/command.ts';
import { FrameError } from '../protocol/frame-error.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import type { ReplyReader, WireProtocol } from '../protocol/wire-protocol.ts';
import {
  connectionErrors,
  contextOf,
  type ErrorFor,
  earliestDeadline,
  hangUpErrors,
  refusedAloneErrors,
  timeoutErrors,
} from './connection-failures.ts';
import type { ConnectionOptions } from './connection-options.ts';
import { DeadlineTimer } from './deadline-timer.ts';
import type { Exchange } from './exchange.ts';
import { FrameExchange } from './frame-exchange.ts';
import { IdleTimer } from './idle-timer.ts';
import { openSocket, readyEvent } from './open-socket.ts';
import { ReplyBudget } from './reply-budget.ts';
import { ReplyRouter } from './reply-router.ts';
import { RequestQueue } from './request-queue.ts';
import { type Retirement, retirementFor } from './retirement.ts';
import { socketErrorMessage } from './socket-error-message.ts';
import { TickWriter } from './tick-writer.ts';
import { WriteWindow } from './write-window.ts';

export type { ConnectionOptions } from './connection-options.ts';

/**
 * Request bytes a TLS connection leaves unanswered at once. memcached < 1.6.39 stalls on a deeper
 * TLS pipeline (see WriteWindow); below one TLS record (16 KiB) it never has more buffered than it reads.
 */
const TLS_WRITE_WINDOW = 16 * 1024;

type State = 'connecting' | 'handshaking' | 'ready' | 'closed';

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
  readonly #writer: TickWriter;
  /** Written (or about to be written this tick), awaiting replies, in wire order. */
  readonly #inFlight = new RequestQueue<Exchange>();
  /** Over TLS only: bounds the bytes written and not yet answered. */
  readonly #window: WriteWindow | undefined;
  readonly #timer = new DeadlineTimer(() => this.#sweep());
  readonly #budget: ReplyBudget;
  #idle = false;
  /** Closes the connection once idle for `idleTimeout`: cleanly, not a failure. */
  readonly #idleTimer: IdleTimer;
  /** Set while a timed-out connection stays open only to learn the outcome of its writes. */
  #retirement: Retirement | undefined;
  readonly #router: ReplyRouter;
  #replied = false;
  #closeRequested = false;
  readonly #closed: Promise<void>;
  #markClosed!: () => void;

  constructor(options: ConnectionOptions) {
    this.server = options.server;
    this.#options = options;
    this.#protocol = options.protocol;
    this.#budget = new ReplyBudget(options.maxBodyLength);
    this.#window = options.tls === undefined ? undefined : new WriteWindow(TLS_WRITE_WINDOW);
    const write = (bytes: Buffer, done: () => void): void => void this.#socket.write(bytes, done);
    this.#writer = new TickWriter(
      options.protocol,
      this.#inFlight,
      this.#window,
      options.server,
      options.timeout,
      write,
    );
    this.#router = new ReplyRouter(this.#inFlight, options.protocol, this.#window, {
      // A barrier (NOOP, mn): its reply proves every earlier request done.
      sendBarrier: () => void this.#sendFrame(this.#protocol.barrier, 'noop'),
      complete: () => this.#complete(),
    });
    this.#reader = options.protocol.reader(options.maxBodyLength, {
      onReply: this.#onReply,
      onOversized: this.#onOversized,
    });
    this.#idleTimer = new IdleTimer(options.idleTimeout ?? 0, () => {
      if (this.#idle && this.pending === 0) this.#destroy(undefined, false);
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
    return this.#inFlight.size + this.#writer.waiting.size;
  }

  /** Socket writes so far: each carries every request issued in one tick. */
  get writes(): number {
    return this.#writer.writes;
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
    const ready = this.#state === 'ready';
    this.#timer.arm(this.#writer.stamp(exchange, ready));
    if (this.#idle) {
      this.#idle = false;
      this.#idleTimer.busy();
      this.#socket.ref();
    }
    this.#writer.admit(exchange, ready);
  }

  /** Lets in-flight requests finish, then closes the socket. New requests are refused meanwhile. */
  close(): Promise<void> {
    this.#closeRequested = true;
    if (this.pending === 0) this.#destroy(undefined, false);
    return this.#closed;
  }

  #onConnect(): void {
    if (this.#state !== 'connecting') return;
    const handshake = this.#options.handshake;
    if (handshake === undefined) {
      // Not before a login: memcached -S hangs up on anything but SASL frames before it.
      const greeting = this.#protocol.greeting;
      if (greeting !== undefined) this.#sendFrame(greeting, 'noop');
      this.#becomeReady();
      return;
    }
    this.#state = 'handshaking';
    handshake(this.#sendDuringHandshake).then(
      () => this.#becomeReady(),
      (error: unknown) => {
        if (error instanceof AuthError) this.#refuseAuth(error);
        else if (error instanceof DalliError) this.#destroy(() => error, true);
        else this.#destroy(connectionErrors(this.server, 'handshake failed', error), true);
      },
    );
  }

  readonly #sendDuringHandshake = (request: Command): Promise<Reply> => {
    if (this.#state === 'handshaking') return this.#sendFrame(request, 'handshake').reply;
    const exchange = new FrameExchange(request, 'handshake');
    exchange.onFailure(this.#connectionError(exchange, 'the connection is closed'));
    return exchange.reply;
  };

  /**
   * Sends a frame of the connection's own (greeting, login step, barrier) with this tick's write,
   * under a deadline of its own. Frames sent together in a handshake leave in one write.
   */
  #sendFrame(command: Command, operation: 'noop' | 'handshake'): FrameExchange {
    const exchange = new FrameExchange(command, operation);
    exchange.deadline = performance.now() + this.#options.timeout;
    this.#timer.arm(exchange.deadline);
    this.#writer.appendNow(exchange);
    return exchange;
  }

  #becomeReady(): void {
    if (this.#state === 'closed') return;
    this.#state = 'ready';
    this.#options.onReady?.();
    this.#writer.appendWaiting();
    this.#writer.flush();
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
    const exchange = this.#router.route(reply);
    if (exchange === undefined) return;
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
    if (!reply.final) return;
    this.#complete();
    const onAnswered = this.#options.onAnswered;
    // The deadline is the write time plus the timeout: what is left of it is how long the reply took.
    if (onAnswered !== undefined) {
      onAnswered(performance.now() - exchange.deadline + (exchange.timeout ?? this.#options.timeout));
    }
  };

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
    const exchange = this.#router.match(reply);
    const limit = this.#options.maxBodyLength;
    const message = `the reply is ${length} bytes, over the ${limit}-byte limit set by valueMaxBytes`;
    const error = new ReplyTooLargeError(message, this.#context(exchange));
    if (exchange.onOversized === undefined) exchange.onFailure(error, true);
    else exchange.onOversized(reply, error);
    // A text VALUE is followed by END: the request is complete only then.
    if (reply.final) this.#complete();
  };

  #complete(): void {
    if (this.#inFlight.shift() === this.#writer.alone) this.#writer.alone = undefined;
    this.#budget.reset();
    this.#window?.answered();
    if (this.#state === 'ready') this.#writer.releaseWaiting();
    if (this.pending > 0) return;
    if (this.#closeRequested) {
      this.#destroy(undefined, false);
      return;
    }
    // An idle connection must not keep the process alive; it is re-referenced on the next send.
    this.#idle = true;
    this.#idleTimer.idle();
    this.#socket.unref();
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
    const midReply = this.#reader.midReply;
    if (this.pending === 0 && !midReply) {
      // memcached closed an idle connection (a restart, an idle timeout): not a failure.
      this.#destroy(undefined, false);
      return;
    }
    const alone = this.#writer.alone;
    // A request sent alone that the server hung up on: refused, not a failure of the server (the
    // requests behind it, never written, go again on a new connection).
    if (alone !== undefined && !midReply) this.#destroy(refusedAloneErrors(this.server, alone), false);
    else this.#destroy(hangUpErrors(this.server, midReply, this.#replied, this.#protocol.name), true);
  };

  readonly #onClose = (): void => {
    this.#destroy((exchange) => this.#connectionError(exchange, 'the connection closed'), true);
  };

  /** Fails the connection if any deadline has passed; otherwise re-arms for the earliest one. */
  #sweep(): void {
    const now = performance.now();
    const earliest = earliestDeadline(this.#inFlight, this.#writer.waiting);
    if (earliest === Number.POSITIVE_INFINITY) return;
    if (earliest > now) {
      this.#timer.arm(earliest);
      return;
    }
    const phase = this.#state === 'ready' ? 'reply' : this.#state === 'connecting' ? 'connection' : 'handshake';
    this.#retireIfWritesOwed();
    this.#destroy(timeoutErrors(this.server, phase, now, this.#options.timeout), true);
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
    this.#writer.open = false;
    this.#timer.clear();
    this.#idleTimer.clear();
    if (this.#retirement === undefined) this.#socket.destroy();
    const sent = this.#inFlight.drain();
    const unsent = this.#writer.waiting.drain();
    const fail = errorFor ?? ((exchange: Exchange | undefined) => this.#connectionError(exchange, 'closed'));
    const reason = errorFor === undefined ? undefined : fail(undefined);
    if (broken) this.#options.onBroken?.(reason as DalliError, sent.length + unsent.length);
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
    const written = this.#writer.written;
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
    return new ConnectionError(message, contextOf(this.server, exchange, cause));
  }

  #context(exchange: Exchange | undefined, cause?: unknown): ErrorContext {
    return contextOf(this.server, exchange, cause);
  }
}

import type { Socket } from 'node:net';
import { AuthError, ConnectionError, DalliError, type ErrorContext, ProtocolError } from '../errors.ts';
import type { Command } from '../protocol/command.ts';
import type { Reply } from '../protocol/reply.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';
import {
  connectionErrors,
  contextOf,
  type ErrorFor,
  failEach,
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
import { ReplyIntake } from './reply-intake.ts';
import { RequestQueue } from './request-queue.ts';
import { socketErrorMessage } from './socket-error-message.ts';
import { TickWriter } from './tick-writer.ts';
import { UnsettledWrites } from './unsettled-writes.ts';
import { TLS_WRITE_WINDOW, WriteWindow } from './write-window.ts';

export type { ConnectionOptions } from './connection-options.ts';

type State = 'connecting' | 'handshaking' | 'ready' | 'closed';

/**
 * One socket to one server, carrying every request pipelined, in any dialect. Requests issued in
 * the same tick leave in one write; replies are matched to requests in order (by opaque where the
 * dialect has one). As soon as the replies could be out of step with the requests (a timeout with
 * bytes still owed, a malformed reply, an unexpected opaque, an early EOF) the connection is
 * destroyed and every request on it fails: a reply is never delivered to the wrong caller. A
 * destroyed connection is never reused; one that timed out with writes owed keeps only its socket,
 * to learn when they are settled (`UnsettledWrites`).
 */
export class Connection {
  readonly server: string;
  #state: State = 'connecting';
  readonly #options: ConnectionOptions;
  readonly #socket: Socket;
  readonly #protocol: WireProtocol;
  readonly #writer: TickWriter;
  readonly #intake: ReplyIntake;
  /** Written (or about to be written this tick), awaiting replies, in wire order. */
  readonly #inFlight = new RequestQueue<Exchange>();
  /** Over TLS only: bounds the bytes written and not yet answered. */
  readonly #window: WriteWindow | undefined;
  readonly #timer: DeadlineTimer;
  /** Closes the connection once idle for `idleTimeout`: cleanly, not a failure. */
  readonly #idleTimer: IdleTimer;
  /** A timed-out connection's socket, kept only to learn the outcome of its writes. */
  readonly #unsettled: UnsettledWrites;
  #closeRequested = false;
  readonly #closed: Promise<void>;
  #markClosed!: () => void;

  constructor(options: ConnectionOptions) {
    this.server = options.server;
    this.#options = options;
    this.#protocol = options.protocol;
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
    this.#timer = new DeadlineTimer([this.#inFlight, this.#writer.waiting], (now) => this.#timedOut(now));
    this.#closed = new Promise((resolve) => {
      this.#markClosed = resolve;
    });
    const socket = openSocket(options.address, options.tls);
    this.#socket = socket;
    this.#idleTimer = new IdleTimer(options.idleTimeout ?? 0, socket, () => {
      if (this.pending === 0) this.#destroy(undefined, false);
    });
    this.#unsettled = new UnsettledWrites(socket, options.protocol, () => this.#markClosed());
    this.#intake = new ReplyIntake(options, this.#inFlight, this.#window, this.#unsettled, {
      isReady: () => this.#state === 'ready',
      refuseAuth: (error) => this.#refuseAuth(error),
      // A barrier (NOOP, mn): its reply proves every earlier request done.
      sendBarrier: () => void this.#sendFrame(this.#protocol.barrier, 'noop'),
      complete: () => this.#complete(),
    });
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
    this.#idleTimer.busy();
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
      this.#intake.push(chunk);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#destroy((exchange) => new ProtocolError(message, this.#context(exchange, error)), true);
    }
  };

  /** Authentication was refused: every request here fails with it; the server is not at fault. */
  #refuseAuth(error: AuthError): void {
    this.#options.onAuthFailed?.(error);
    this.#destroy((exchange) => new AuthError(error.detail, this.#context(exchange)), false);
  }

  #complete(): void {
    if (this.#inFlight.shift() === this.#writer.alone) this.#writer.alone = undefined;
    this.#window?.answered();
    if (this.#state === 'ready') this.#writer.releaseWaiting();
    if (this.pending > 0) return;
    if (this.#closeRequested) {
      this.#destroy(undefined, false);
      return;
    }
    this.#idleTimer.idle();
  }

  readonly #onError = (error: Error): void => {
    const message = socketErrorMessage(error, {
      tls: this.#options.tls !== undefined,
      connecting: this.#state === 'connecting',
      replied: this.#intake.replied,
    });
    this.#destroy((exchange) => this.#connectionError(exchange, message, error), true);
  };

  readonly #onEnd = (): void => {
    const midReply = this.#intake.midReply;
    if (this.pending === 0 && !midReply) {
      // memcached closed an idle connection (a restart, an idle timeout): not a failure.
      this.#destroy(undefined, false);
      return;
    }
    const alone = this.#writer.alone;
    // A request sent alone that the server hung up on: refused, not a failure of the server (the
    // requests behind it, never written, go again on a new connection).
    if (alone !== undefined && !midReply) this.#destroy(refusedAloneErrors(this.server, alone), false);
    else this.#destroy(hangUpErrors(this.server, midReply, this.#intake.replied, this.#protocol.name), true);
  };

  readonly #onClose = (): void => {
    this.#destroy((exchange) => this.#connectionError(exchange, 'the connection closed'), true);
  };

  /** A deadline passed at `now`: the connection fails, its socket kept if writes are owed. */
  #timedOut(now: number): void {
    const phase = this.#state === 'ready' ? 'reply' : this.#state === 'connecting' ? 'connection' : 'handshake';
    this.#unsettled.retireIfOwed(this.#inFlight, this.#writer.written, this.#options.onUnsettledWrites);
    this.#destroy(timeoutErrors(this.server, phase, now, this.#options.timeout), true);
  }

  /**
   * Closes the socket and fails every request still on the connection. `errorFor` gives each its
   * error (nothing to fail on a clean close); `broken` tells the server this was a failure.
   */
  #destroy(errorFor: ErrorFor | undefined, broken: boolean): void {
    if (this.#state === 'closed') {
      this.#unsettled.end();
      return;
    }
    this.#state = 'closed';
    this.#writer.open = false;
    this.#timer.clear();
    this.#idleTimer.clear();
    const retired = this.#unsettled.retired;
    if (!retired) this.#socket.destroy();
    const sent = this.#inFlight.drain();
    const unsent = this.#writer.waiting.drain();
    const fail = errorFor ?? ((exchange: Exchange | undefined) => this.#connectionError(exchange, 'closed'));
    const reason = errorFor === undefined ? undefined : fail(undefined);
    if (broken) this.#options.onBroken?.(reason as DalliError, sent.length + unsent.length);
    this.#options.onClose?.(reason);
    failEach(sent, unsent, fail);
    if (!retired) this.#markClosed();
  }

  #connectionError(exchange: Exchange | undefined, message: string, cause?: unknown): ConnectionError {
    return new ConnectionError(message, contextOf(this.server, exchange, cause));
  }

  #context(exchange: Exchange | undefined, cause?: unknown): ErrorContext {
    return contextOf(this.server, exchange, cause);
  }
}

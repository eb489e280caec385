import { type AuthError, ReplyTooLargeError } from '../errors.ts';
import { FrameError } from '../protocol/frame-error.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import type { ReplyReader } from '../protocol/wire-protocol.ts';
import { authRequiredError, contextOf } from './connection-failures.ts';
import type { ConnectionOptions } from './connection-options.ts';
import type { Exchange } from './exchange.ts';
import { ReplyBudget } from './reply-budget.ts';
import { ReplyRouter, type RouterHost } from './reply-router.ts';
import type { RequestQueue } from './request-queue.ts';
import type { UnsettledWrites } from './unsettled-writes.ts';
import type { WriteWindow } from './write-window.ts';

/** What the read side asks of its connection. */
export interface IntakeHost extends RouterHost {
  /** True once the connection takes requests (logged in): an auth error then refuses the request. */
  isReady(): boolean;
  /** The server refused a request as unauthenticated: every request fails with `error`. */
  refuseAuth(error: AuthError): void;
}

/**
 * The read side of a connection, as `TickWriter` is its write side: bytes in, replies out to the
 * requests they answer (matched by the `ReplyRouter`), each reply charged to the `ReplyBudget`. A
 * reply owed to a retired connection goes to its `UnsettledWrites`; an oversized one fails its
 * request alone. Throws (from `push`) when the stream is out of step: the connection then fails.
 */
export class ReplyIntake {
  readonly #server: string;
  readonly #options: ConnectionOptions;
  readonly #reader: ReplyReader;
  readonly #router: ReplyRouter;
  readonly #budget: ReplyBudget;
  readonly #unsettled: UnsettledWrites;
  readonly #host: IntakeHost;
  /** True once any reply came: the server speaks the dialect. */
  replied = false;

  constructor(
    options: ConnectionOptions,
    inFlight: RequestQueue<Exchange>,
    window: WriteWindow | undefined,
    unsettled: UnsettledWrites,
    host: IntakeHost,
  ) {
    this.#server = options.server;
    this.#options = options;
    this.#unsettled = unsettled;
    this.#host = host;
    this.#budget = new ReplyBudget(options.maxBodyLength);
    this.#router = new ReplyRouter(inFlight, options.protocol, window, {
      sendBarrier: host.sendBarrier,
      complete: this.#complete,
    });
    this.#reader = options.protocol.reader(options.maxBodyLength, {
      onReply: this.#onReply,
      onOversized: this.#onOversized,
    });
  }

  /** True while a reply has begun and not ended. */
  get midReply(): boolean {
    return this.#reader.midReply;
  }

  /** Reads `chunk`; throws if it breaks the dialect's framing or answers no request. */
  push(chunk: Buffer): void {
    this.#reader.push(chunk);
  }

  readonly #onReply = (reply: Reply): void => {
    if (this.#unsettled.take(reply)) return;
    const exchange = this.#router.route(reply);
    if (exchange === undefined) return;
    const overBudget = this.#budget.charge(reply.valueEnd - reply.valueStart);
    if (overBudget !== undefined) throw new FrameError(overBudget);
    if (reply.status === ReplyStatus.authError && this.#host.isReady()) {
      // memcached -S (and -Y) answers an unauthenticated request with an auth error, then hangs up.
      const loginName = this.#options.protocol.loginName;
      const configured = this.#options.handshake !== undefined;
      this.#host.refuseAuth(authRequiredError(this.#server, exchange, loginName, configured));
      return;
    }
    if (!this.replied) {
      this.replied = true;
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

  /** A reply whose body is over `maxBodyLength`: its body is skipped and only its request fails. */
  readonly #onOversized = (reply: Reply, length: number): void => {
    if (this.#unsettled.take(reply)) return;
    const exchange = this.#router.match(reply);
    const limit = this.#options.maxBodyLength;
    const message = `the reply is ${length} bytes, over the ${limit}-byte limit set by valueMaxBytes`;
    const error = new ReplyTooLargeError(message, contextOf(this.#server, exchange));
    if (exchange.onOversized === undefined) exchange.onFailure(error, true);
    else exchange.onOversized(reply, error);
    // A text VALUE is followed by END: the request is complete only then.
    if (reply.final) this.#complete();
  };

  /** The oldest request has its whole answer: the next frame starts a new reply. */
  readonly #complete = (): void => {
    this.#budget.reset();
    this.#host.complete();
  };
}

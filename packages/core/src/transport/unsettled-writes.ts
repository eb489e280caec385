import type { Socket } from 'node:net';
import type { Reply } from '../protocol/reply.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';
import type { Exchange } from './exchange.ts';
import type { RequestQueue } from './request-queue.ts';
import { type Retirement, retirementFor } from './retirement.ts';

/** Told the wire keys of the writes left unsettled, and when nothing carried can still be applied. */
export type UnsettledWritesListener = (keys: readonly string[], settled: Promise<void>) => void;

/**
 * The writes a timed-out connection leaves on the wire. Rather than dropping the socket (the
 * server could still apply them, in any order against a new connection's), the connection keeps
 * it, unref'd, to learn when they are settled (see `Retirement`); then the socket goes.
 */
export class UnsettledWrites {
  readonly #socket: Socket;
  readonly #protocol: WireProtocol;
  readonly #onSettled: () => void;
  #retirement: Retirement | undefined;

  /** `onSettled` runs once the socket kept for the writes is destroyed. */
  constructor(socket: Socket, protocol: WireProtocol, onSettled: () => void) {
    this.#socket = socket;
    this.#protocol = protocol;
    this.#onSettled = onSettled;
  }

  /** True while the socket is kept only to learn the outcome of writes. */
  get retired(): boolean {
    return this.#retirement !== undefined;
  }

  /**
   * Keeps the socket if any of the first `written` requests in flight is a write and someone
   * listens (`told`); otherwise nothing changes and the caller destroys the socket.
   */
  retireIfOwed(inFlight: RequestQueue<Exchange>, written: number, told: UnsettledWritesListener | undefined): void {
    if (told === undefined) return;
    const retirement = retirementFor(inFlight, written, () => this.end());
    if (retirement === undefined) return;
    this.#retirement = retirement;
    this.#socket.unref();
    told(retirement.keys, retirement.settled);
  }

  /**
   * Takes a reply if the connection is retired (true), ending the retirement with its last owed
   * reply; false when the reply is for the live connection. Throws a `FrameError` for a reply that
   * answers nothing owed.
   */
  take(reply: Reply): boolean {
    const retirement = this.#retirement;
    if (retirement === undefined) return false;
    if (retirement.take(reply, this.#protocol)) this.end();
    return true;
  }

  /** The writes are settled (or the wait expired, or the socket ended): the socket goes. */
  end(): void {
    const retirement = this.#retirement;
    if (retirement === undefined) return;
    this.#retirement = undefined;
    retirement.end();
    this.#socket.destroy();
    this.#onSettled();
  }
}

import { FrameError } from '../protocol/frame-error.ts';
import type { Reply } from '../protocol/reply.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';
import type { Exchange } from './exchange.ts';
import type { RequestQueue } from './request-queue.ts';
import { UnplacedError } from './unplaced-error.ts';
import type { WriteWindow } from './write-window.ts';

/** What the router asks of its connection. */
export interface RouterHost {
  /** Sends a barrier (NOOP, mn) now, so that a next reply surely comes. */
  sendBarrier(): void;
  /** The oldest request in flight has its whole answer: take it off the queue. */
  complete(): void;
}

/**
 * Which request each reply answers, in wire order: the connection reads, the router matches. A
 * reply that fits no request throws a `FrameError` before anything is settled, and the connection
 * is destroyed; a reply is never delivered to the wrong caller.
 */
export class ReplyRouter {
  readonly #inFlight: RequestQueue<Exchange>;
  readonly #protocol: WireProtocol;
  readonly #window: WriteWindow | undefined;
  readonly #host: RouterHost;
  /** An error line naming no request, held until the next reply says whose it is. */
  #unplaced: UnplacedError | undefined;

  constructor(
    inFlight: RequestQueue<Exchange>,
    protocol: WireProtocol,
    window: WriteWindow | undefined,
    host: RouterHost,
  ) {
    this.#inFlight = inFlight;
    this.#protocol = protocol;
    this.#window = window;
    this.#host = host;
  }

  /** The request `reply` answers, or undefined while the reply is an error line held for placing. */
  route(reply: Reply): Exchange | undefined {
    const unplaced = this.#unplaced;
    if (unplaced !== undefined) this.#placeError(unplaced, reply);
    else if (this.#protocol.namesNoRequest?.(reply) === true && this.#holdError(reply)) return undefined;
    return this.match(reply);
  }

  /**
   * Finds the request a reply answers: the oldest in flight, after any quiet requests that the
   * reply proves succeeded. Everything is checked before anything is settled, so a reply that
   * fits no request (unknown opaque, wrong command, a request skipped that was not quiet)
   * settles nothing.
   */
  match(reply: Reply): Exchange {
    const protocol = this.#protocol;
    const inFlight = this.#inFlight;
    let index = 0;
    for (let exchange = inFlight.at(0); exchange !== undefined; exchange = inFlight.at(++index)) {
      if (protocol.answers(reply, exchange.request, exchange.opaque)) {
        for (let i = 0; i < index; i++) {
          const silent = inFlight.shift() as Exchange;
          this.#window?.answered();
          silent.onSilence();
        }
        return exchange;
      }
    }
    throw new FrameError('a reply matches no request in flight');
  }

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
    if (quiet === inFlight.size - 1) this.#host.sendBarrier();
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
    this.#host.complete();
  }
}

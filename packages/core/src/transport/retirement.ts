import { FrameError } from '../protocol/frame-error.ts';
import type { Reply } from '../protocol/reply.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';
import type { Exchange } from './exchange.ts';
import type { RequestQueue } from './request-queue.ts';

/** How long a timed-out connection is kept open at most to learn what became of its writes. */
export const RETIREMENT_MAX_MS = 60_000;

/**
 * A connection that timed out with writes on the wire stays open, unref'd, taking no requests,
 * only to learn their outcome: once the last request written has its final reply (or the server
 * closes the socket), nothing it carried can still be applied, and its writes' keys are released.
 * Its callers were already told "timeout"; the replies it still reads are matched to the requests
 * owed as the dialect says (opaque, order, quiet requests passed over) and then discarded.
 */
export class Retirement {
  /** Wire keys of the writes that were waiting for a reply. */
  readonly keys: readonly string[];
  readonly settled: Promise<void>;
  readonly #owed: readonly Exchange[];
  /** The oldest request still owed a reply. */
  #next = 0;
  readonly #timer: NodeJS.Timeout;
  #resolve!: () => void;

  constructor(keys: readonly string[], owed: readonly Exchange[], onExpired: () => void) {
    this.keys = keys;
    this.#owed = owed;
    this.settled = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    this.#timer = setTimeout(onExpired, RETIREMENT_MAX_MS);
    this.#timer.unref();
  }

  /**
   * Takes one reply; true once every request owed has been answered. Throws a `FrameError` when
   * the reply answers none of them (the stream is out of step: the socket is then dropped).
   */
  take(reply: Reply, protocol: WireProtocol): boolean {
    const owed = this.#owed;
    for (let i = this.#next; i < owed.length; i++) {
      const exchange = owed[i] as Exchange;
      if (protocol.answers(reply, exchange.request, exchange.opaque)) {
        this.#next = reply.final ? i + 1 : i;
        return this.#next >= owed.length;
      }
    }
    throw new FrameError('a reply matches no request owed by the timed-out connection');
  }

  end(): void {
    clearTimeout(this.#timer);
    this.#resolve();
  }
}

/**
 * The retirement a timed-out connection needs, or undefined if none of the requests written
 * (the first `written` in flight) is a write: then it can simply be destroyed.
 */
export function retirementFor(
  inFlight: RequestQueue<Exchange>,
  written: number,
  onExpired: () => void,
): Retirement | undefined {
  const keys: string[] = [];
  const owed: Exchange[] = [];
  for (let i = 0; i < written; i++) {
    const exchange = inFlight.at(i) as Exchange;
    owed.push(exchange);
    if (exchange.idempotent === false && exchange.request.key !== undefined) keys.push(exchange.request.key);
  }
  if (keys.length === 0) return undefined;
  return new Retirement(keys, owed, onExpired);
}

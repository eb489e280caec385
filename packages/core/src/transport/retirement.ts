import { isFinalFrame } from '../protocol/index.ts';
import type { Exchange } from './exchange.ts';
import type { RequestQueue } from './request-queue.ts';

/** How long a timed-out connection is kept open at most to learn what became of its writes. */
export const RETIREMENT_MAX_MS = 60_000;

/**
 * A connection that timed out with writes on the wire stays open, unref'd, taking no requests,
 * only to learn their outcome: once the reply to the last request written arrives (or the server
 * closes the socket), nothing it carried can still be applied, and its writes' keys are released.
 * Its callers were already told "timeout"; the replies it still reads are discarded.
 */
export class Retirement {
  /** Wire keys of the writes that were waiting for a reply. */
  readonly keys: readonly string[];
  readonly settled: Promise<void>;
  readonly #lastOpaque: number;
  readonly #timer: NodeJS.Timeout;
  #resolve!: () => void;

  constructor(keys: readonly string[], lastOpaque: number, onExpired: () => void) {
    this.keys = keys;
    this.#lastOpaque = lastOpaque;
    this.settled = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    this.#timer = setTimeout(onExpired, RETIREMENT_MAX_MS);
    this.#timer.unref();
  }

  /** Whether `frame` is the last reply owed: every request written before it has been answered. */
  isLastReply(frame: { opaque: number; opcode: number; status: number; keyLength: number }): boolean {
    return frame.opaque === this.#lastOpaque && isFinalFrame(frame);
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
  for (let i = 0; i < written; i++) {
    const exchange = inFlight.at(i) as Exchange;
    if (exchange.idempotent === false && exchange.request.key !== undefined) keys.push(exchange.request.key);
  }
  const last = inFlight.at(written - 1);
  if (keys.length === 0 || last === undefined) return undefined;
  return new Retirement(keys, last.opaque, onExpired);
}

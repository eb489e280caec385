import type { Exchange } from './exchange.ts';
import type { RequestQueue } from './request-queue.ts';

/** setTimeout's ceiling: a longer delay fires after 1 ms instead (with a warning). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * The deadlines (`performance.now()` times) of a connection's requests, on one timer: it fires at
 * the earliest deadline armed, then sweeps the queues. If a deadline has passed, the owner is told
 * (`onPassed`); otherwise the timer re-arms for the earliest one left. A request costs a
 * comparison, not a timer of its own.
 */
export class DeadlineTimer {
  readonly #queues: readonly RequestQueue<Exchange>[];
  readonly #onPassed: (now: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #at = Number.POSITIVE_INFINITY;

  constructor(queues: readonly RequestQueue<Exchange>[], onPassed: (now: number) => void) {
    this.#queues = queues;
    this.#onPassed = onPassed;
  }

  /** Makes sure the timer fires no later than `deadline`. */
  arm(deadline: number): void {
    if (deadline >= this.#at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#at = deadline;
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(1, Math.ceil(deadline - performance.now())));
    this.#timer = setTimeout(this.#fire, delay);
    // The socket keeps the process alive while requests are pending; the timer need not.
    this.#timer.unref();
  }

  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
  }

  /** Tells the owner if any deadline has passed; otherwise re-arms for the earliest one. */
  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const earliest = this.#earliest();
    if (earliest === Number.POSITIVE_INFINITY) return;
    if (earliest > now) this.arm(earliest);
    else this.#onPassed(now);
  };

  /** The earliest deadline of the requests in the queues; infinity when there is none. */
  #earliest(): number {
    let earliest = Number.POSITIVE_INFINITY;
    const visit = (exchange: Exchange): void => {
      if (exchange.deadline < earliest) earliest = exchange.deadline;
    };
    for (const queue of this.#queues) queue.forEach(visit);
    return earliest;
  }
}

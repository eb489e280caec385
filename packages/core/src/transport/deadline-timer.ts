/** setTimeout's ceiling: a longer delay fires after 1 ms instead (with a warning). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * One timer for many deadlines (`performance.now()` times): it fires at the earliest deadline
 * armed, and its owner sweeps its requests and arms the next one. A request costs a comparison,
 * not a timer of its own.
 */
export class DeadlineTimer {
  readonly #onDue: () => void;
  #timer: NodeJS.Timeout | undefined;
  #at = Number.POSITIVE_INFINITY;

  constructor(onDue: () => void) {
    this.#onDue = onDue;
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

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
    this.#onDue();
  };
}

/**
 * Requests waiting out the pause before their retry. One timer serves them all, and every request
 * due at once is resent in the same tick, so a failed batch goes out again as one write per
 * server rather than one write per key.
 */
export class RetryQueue<T> {
  readonly #delay: number;
  readonly #resend: (item: T) => void;
  /** Items in the order they became due; every item waits the same delay, so this is FIFO. */
  #due: { item: T; at: number }[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(delay: number, resend: (item: T) => void) {
    this.#delay = delay;
    this.#resend = resend;
  }

  add(item: T): void {
    this.#due.push({ item, at: performance.now() + this.#delay });
    if (this.#timer === undefined) this.#arm();
  }

  /** Drops every waiting item, handing each to `drop`. */
  clear(drop: (item: T) => void): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const items = this.#due;
    this.#due = [];
    for (const { item } of items) drop(item);
  }

  #arm(): void {
    const next = this.#due[0];
    if (next === undefined) return;
    // Referenced on purpose: a retry in progress is pending work the process must stay up for.
    this.#timer = setTimeout(this.#fire, Math.max(0, next.at - performance.now()));
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    let count = 0;
    while (count < this.#due.length && (this.#due[count] as { at: number }).at <= now + 1) count++;
    const ready = this.#due.splice(0, count);
    for (const { item } of ready) this.#resend(item);
    this.#arm();
  };
}

/** setTimeout's ceiling: a longer delay fires after 1 ms instead (with a warning). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * Tells a connection when it has been idle (nothing sent, nothing awaited) for `idleMs`. One
 * timer per idle spell at most: a request in between only moves the start of the next spell, and
 * the timer, when it fires early, waits out the rest. `idleMs` 0: never.
 */
export class IdleTimer {
  readonly #idleMs: number;
  readonly #onIdle: () => void;
  #timer: NodeJS.Timeout | undefined;
  /** When the current idle spell began (`performance.now()`), or undefined while busy. */
  #since: number | undefined;

  constructor(idleMs: number, onIdle: () => void) {
    this.#idleMs = idleMs;
    this.#onIdle = onIdle;
  }

  /** The connection has nothing to do from now on. */
  idle(): void {
    if (this.#idleMs === 0) return;
    this.#since = performance.now();
    if (this.#timer === undefined) this.#arm(this.#idleMs);
  }

  /** The connection carries a request again. */
  busy(): void {
    this.#since = undefined;
  }

  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#since = undefined;
  }

  #arm(delay: number): void {
    this.#timer = setTimeout(this.#fire, Math.min(MAX_TIMER_DELAY, Math.max(1, Math.ceil(delay))));
    // An idle connection must not keep the process alive, nor its timer.
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const since = this.#since;
    if (since === undefined) return;
    const left = since + this.#idleMs - performance.now();
    if (left > 0) this.#arm(left);
    else this.#onIdle();
  };
}

/** setTimeout's ceiling: a longer delay fires after 1 ms instead (with a warning). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** The part of a socket that decides whether it keeps the process alive. */
interface Referenced {
  ref(): unknown;
  unref(): unknown;
}

/**
 * A connection's idle spells: while it has nothing to do (nothing sent, nothing awaited) its
 * socket does not keep the process alive, and after `idleMs` of it the owner is told, to close the
 * connection (cleanly: not a failure). One timer per idle spell at most: a request in between only
 * moves the start of the next spell, and the timer, when it fires early, waits out the rest.
 * `idleMs` 0: the owner is never told.
 */
export class IdleTimer {
  readonly #idleMs: number;
  readonly #socket: Referenced;
  readonly #onIdle: () => void;
  #timer: NodeJS.Timeout | undefined;
  /** When the current idle spell began (`performance.now()`), or undefined while busy. */
  #since: number | undefined;
  #idle = false;

  constructor(idleMs: number, socket: Referenced, onIdle: () => void) {
    this.#idleMs = idleMs;
    this.#socket = socket;
    this.#onIdle = onIdle;
  }

  /** The connection has nothing to do from now on. */
  idle(): void {
    this.#idle = true;
    // Re-referenced on the next request.
    this.#socket.unref();
    if (this.#idleMs === 0) return;
    this.#since = performance.now();
    if (this.#timer === undefined) this.#arm(this.#idleMs);
  }

  /** The connection carries a request again. */
  busy(): void {
    if (!this.#idle) return;
    this.#idle = false;
    this.#since = undefined;
    this.#socket.ref();
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

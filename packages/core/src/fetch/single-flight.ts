/**
 * One running fetch: its result, and the old value it may publish early when it won the recompute
 * of a stale item (`stale` never rejects, and never settles otherwise).
 */
export interface Flight {
  readonly promise: Promise<unknown>;
  readonly stale: Promise<unknown>;
}

/**
 * In-process coalescing: while a task for a key runs, every other caller for that key joins it
 * and settles with the same value or the same error (or, sooner, the old value of a stale item).
 * The entry is dropped as the task settles, so a later call starts afresh (nothing is cached here).
 */
export class SingleFlight {
  readonly #running = new Map<string, Flight>();

  /** What the caller awaits: a new flight started by `start()`, or the running one joined. */
  run(key: string, start: () => Flight): { promise: Promise<unknown>; joined: boolean } {
    const running = this.#running.get(key);
    // Built per joiner, so a failing flight nobody joined leaves no unhandled rejection behind.
    if (running !== undefined) return { promise: Promise.race([running.promise, running.stale]), joined: true };
    const flight = start();
    this.#running.set(key, flight);
    const drop = (): void => {
      this.#running.delete(key);
    };
    flight.promise.then(drop, drop);
    return { promise: flight.promise, joined: false };
  }
}

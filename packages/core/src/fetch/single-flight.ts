/** One running fetch: what its first caller awaits, and what callers joining it await. */
export interface Flight {
  readonly promise: Promise<unknown>;
  readonly forJoiners: Promise<unknown>;
}

/**
 * In-process coalescing: while a task for a key runs, every other caller for that key joins it
 * and settles with the same value or the same error. The entry is dropped as the task settles, so
 * a later call starts afresh (nothing is cached here).
 */
export class SingleFlight {
  readonly #running = new Map<string, Flight>();

  /** The running flight for `key`, or `start()` run as that flight. `joined` says which. */
  run(key: string, start: () => Flight): { flight: Flight; joined: boolean } {
    const running = this.#running.get(key);
    if (running !== undefined) return { flight: running, joined: true };
    const flight = start();
    this.#running.set(key, flight);
    flight.promise.then(
      () => this.#running.delete(key),
      () => this.#running.delete(key),
    );
    return { flight, joined: false };
  }
}

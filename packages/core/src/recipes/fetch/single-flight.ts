/**
 * One running fetch: its result, and the old value it may publish early when it won the recompute
 * of a stale item (`stale` never rejects, and never settles otherwise).
 */
export interface Flight {
  readonly promise: Promise<unknown>;
  readonly stale: Promise<unknown>;
}

/** A flight that fetchMulti settles by hand, once its batch has the key's value (or failed). */
export interface Claim {
  readonly promise: Promise<unknown>;
  /** Settles the flight; later calls are ignored. */
  settle(outcome: Promise<unknown> | unknown): void;
  fail(error: unknown): void;
}

const never = new Promise<unknown>(() => {});

/**
 * In-process coalescing: while a task for a key runs, every other caller for that key joins it
 * and settles with the same value or the same error (or, sooner, the old value of a stale item).
 * The entry is dropped as the task settles, so a later call starts afresh (nothing is cached here).
 */
export class SingleFlight {
  readonly #running = new Map<string, Flight>();

  /** What the caller awaits: a new flight started by `start()`, or the running one joined. */
  run(key: string, start: () => Flight): { promise: Promise<unknown>; joined: boolean } {
    const joined = this.join(key);
    if (joined !== undefined) return { promise: joined, joined: true };
    const flight = start();
    this.#add(key, flight);
    return { promise: flight.promise, joined: false };
  }

  /** The running flight of `key`, as a joiner awaits it; undefined when none runs. */
  join(key: string): Promise<unknown> | undefined {
    const running = this.#running.get(key);
    // Built per joiner, so a failing flight nobody joined leaves no unhandled rejection behind.
    return running === undefined ? undefined : Promise.race([running.promise, running.stale]);
  }

  /** Registers a flight for `key` (none may be running) that the caller settles by hand. */
  claim(key: string): Claim {
    let resolve: (value: unknown) => void = () => {};
    let reject: (error: unknown) => void = () => {};
    const promise = new Promise<unknown>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    this.#add(key, { promise, stale: never });
    return { promise, settle: resolve, fail: reject };
  }

  #add(key: string, flight: Flight): void {
    this.#running.set(key, flight);
    const drop = (): void => {
      if (this.#running.get(key) === flight) this.#running.delete(key);
    };
    flight.promise.then(drop, drop);
  }
}

/**
 * In-process coalescing: while a task for a key runs, every other caller for that key joins it
 * and settles with the same value or the same error. The entry is dropped as the task settles, so
 * a later call starts afresh (nothing is cached here).
 */
export class SingleFlight {
  readonly #running = new Map<string, Promise<unknown>>();

  /** The running task for `key`, or `start()` run as that task. `joined` says which. */
  run(key: string, start: () => Promise<unknown>): { promise: Promise<unknown>; joined: boolean } {
    const running = this.#running.get(key);
    if (running !== undefined) return { promise: running, joined: true };
    const promise = start().finally(() => this.#running.delete(key));
    this.#running.set(key, promise);
    return { promise, joined: false };
  }

  /** How many keys have a task running. */
  get size(): number {
    return this.#running.size;
  }
}

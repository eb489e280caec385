import { ClearableNamespace, type Client } from '@dalli/core';
import { asFailureOf } from './token-read-error.ts';

/**
 * A {@link ClearableNamespace} used without waiting for the namespace token. While the generation
 * this process read is fresh (read within the namespace's `refresh`, 1 s), an operation runs on
 * its keys and no token is read at all. Once it is older, the operation runs on the keys of the
 * generation this process saw last while the token replicas are read in the same tick (the client
 * writes both at once); only when the generation has changed (another process called `clear()`)
 * does the operation run again, on the new generation. A write that went to the old generation
 * meanwhile is never read again: the old generation is dropped. So another process's `clear()` is
 * seen within `refresh`, at the cost of about one token read per second per process instead of
 * one per operation.
 */
export class OptimisticNamespace {
  readonly #namespace: ClearableNamespace;

  constructor(client: Client, name: string) {
    this.#namespace = new ClearableNamespace(client, name);
  }

  /**
   * Runs `operation` (named `name` in errors) on the wire keys of `keys` in the current
   * generation; see the class.
   */
  async run<T>(name: string, keys: readonly string[], operation: (wireKeys: string[]) => Promise<T>): Promise<T> {
    const fresh = this.#namespace.fresh;
    if (fresh !== undefined) return operation(this.#compose(fresh, keys));
    const known = this.#namespace.known;
    if (known === undefined) {
      const generation = await this.#namespace.generation().catch((error: unknown) => {
        throw asFailureOf(name, error);
      });
      return operation(this.#compose(generation, keys));
    }
    const [result, generation] = await Promise.allSettled([
      operation(this.#compose(known, keys)),
      this.#namespace.generation(),
    ]);
    // The operation's own failure names what failed (a set, a delete), not the token read beside it.
    if (result.status === 'rejected') throw result.reason;
    if (generation.status === 'rejected') throw asFailureOf(name, generation.reason);
    if (generation.value === known) return result.value;
    return operation(this.#compose(generation.value, keys));
  }

  /** Drops every key of the namespace, without flush_all. */
  clear(): Promise<void> {
    return this.#namespace.clear();
  }

  #compose(generation: string, keys: readonly string[]): string[] {
    return keys.map((key) => this.#namespace.keyIn(generation, key));
  }
}

import { ClearableNamespace, type Client } from '@dalli/core';
import { asFailureOf } from './token-read-error.ts';

/**
 * A {@link ClearableNamespace} used in one round trip. Each operation runs on the keys of the
 * generation this process saw last while the current generation token is read in the same tick
 * (the client writes both at once); only when the token has changed (another process called
 * `clear()`) does the operation run again, on the new generation. A write that went to the old
 * generation meanwhile is never read again: the old generation is dropped. So a `clear()` by any
 * process is seen by the next operation of every other process, as before, at the cost of one
 * extra round trip once per clear instead of one per operation.
 */
export class OptimisticNamespace {
  readonly #namespace: ClearableNamespace;
  #known: string | undefined;

  constructor(client: Client, name: string) {
    this.#namespace = new ClearableNamespace(client, name);
  }

  /**
   * Runs `operation` (named `name` in errors) on the wire keys of `keys` in the current
   * generation; see the class.
   */
  async run<T>(name: string, keys: readonly string[], operation: (wireKeys: string[]) => Promise<T>): Promise<T> {
    const known = this.#known;
    if (known === undefined) {
      const generation = await this.#current().catch((error: unknown) => {
        throw asFailureOf(name, error);
      });
      return operation(this.#compose(generation, keys));
    }
    const [result, generation] = await Promise.allSettled([operation(this.#compose(known, keys)), this.#current()]);
    // The operation's own failure names what failed (a set, a delete), not the token read beside it.
    if (result.status === 'rejected') throw result.reason;
    if (generation.status === 'rejected') throw asFailureOf(name, generation.reason);
    if (generation.value === known) return result.value;
    return operation(this.#compose(generation.value, keys));
  }

  /** Drops every key of the namespace, without flush_all. */
  async clear(): Promise<void> {
    this.#known = undefined;
    await this.#namespace.clear();
  }

  async #current(): Promise<string> {
    this.#known = await this.#namespace.generation();
    return this.#known;
  }

  #compose(generation: string, keys: readonly string[]): string[] {
    return keys.map((key) => this.#namespace.keyIn(generation, key));
  }
}

import { escapeKey } from '../../keys/key-escape.ts';
import { ClearableNamespace, type ClearableNamespaceOptions } from './clearable-namespace.ts';
import type { ReplicaClient } from './token-replicas.ts';

/** How many prefixes keep their namespace object and last token between operations. */
const rememberedPrefixes = 1024;

/**
 * Keys that are paths (`a:b:c`: unstorage's keys, bentocache's `prefix:namespace:key`) where a
 * `clear` drops every key under a base (`a`, `a:b`), which memcached cannot list. So each key lives
 * under one generation token per path prefix it has (the root, `a`, `a:b`), each a
 * {@link ClearableNamespace}: clearing a base writes a new token for that prefix only, and every key
 * below it moves to keys nobody reads again (they age out by TTL or LRU). Never `flush_all`.
 *
 * One round trip per operation, as the Keyv adapter's optimistic namespace: the operation runs on
 * the tokens this process saw last while the current tokens are read in the same tick (the client
 * sends both in one write); only when a token has changed (a clear, here or elsewhere) does it run
 * again, on the new keys. What it did meanwhile under the old tokens is never read again.
 */
export class PrefixGenerations {
  readonly #client: ReplicaClient;
  readonly #base: string;
  readonly #namespaces = new Map<string, ClearableNamespace>();
  readonly #known = new Map<string, string>();

  readonly #options: ClearableNamespaceOptions;

  /**
   * @param base the first segment of every memcached key written through this object
   * @param options for each prefix's {@link ClearableNamespace}: `refresh` bounds how late another
   *   process's clear is seen (and how often the tokens are read)
   */
  constructor(client: ReplicaClient, base: string, options: ClearableNamespaceOptions = {}) {
    this.#client = client;
    this.#base = base;
    this.#options = options;
    // Checked once here rather than at the first operation.
    new ClearableNamespace(client, base, options);
  }

  /** Runs `operation` on the memcached keys of `keys` (paths, `:`-separated) in the current generations. */
  async run<T>(keys: readonly string[], operation: (wireKeys: string[]) => Promise<T>): Promise<T> {
    const prefixes = [...new Set(keys.flatMap(prefixesOf))];
    const known = prefixes.map((prefix) => this.#known.get(prefix));
    if (!isComplete(known)) return operation(this.#compose(keys, prefixes, await this.#current(prefixes)));
    const [result, current] = await Promise.allSettled([
      operation(this.#compose(keys, prefixes, known)),
      this.#current(prefixes),
    ]);
    // The operation's own failure names what failed (a set, a get), not a token read beside it.
    if (result.status === 'rejected') throw result.reason;
    if (current.status === 'rejected') throw current.reason;
    if (current.value.every((token, i) => token === known[i])) return result.value;
    return operation(this.#compose(keys, prefixes, current.value));
  }

  /** Drops every key under `prefix` (a path without its trailing ':'; '' for all). */
  async clear(prefix: string): Promise<void> {
    this.#known.delete(prefix);
    await this.#namespace(prefix).clear();
  }

  /** The current tokens of `prefixes`, read in one tick (one write), remembered for the next operation. */
  async #current(prefixes: readonly string[]): Promise<string[]> {
    const tokens = await Promise.all(prefixes.map((prefix) => this.#namespace(prefix).generation()));
    for (const [i, prefix] of prefixes.entries()) this.#remember(this.#known, prefix, tokens[i] as string);
    return tokens;
  }

  #compose(keys: readonly string[], prefixes: readonly string[], tokens: readonly string[]): string[] {
    const tokenOf = new Map(prefixes.map((prefix, i) => [prefix, tokens[i]]));
    // A key fixes how many prefixes it has, and so how many tokens are joined here.
    const base = escapeKey(this.#base);
    return keys.map(
      (key) =>
        `${base}:${prefixesOf(key)
          .map((prefix) => tokenOf.get(prefix))
          .join('.')}:${escapeKey(key)}`,
    );
  }

  #namespace(prefix: string): ClearableNamespace {
    let namespace = this.#namespaces.get(prefix);
    if (namespace === undefined) {
      // '~' is outside base64url, so a token key (`<base>:~<prefix>:__generation`) never equals a data key.
      namespace = new ClearableNamespace(this.#client, `${this.#base}:~${prefix}`, this.#options);
      this.#remember(this.#namespaces, prefix, namespace);
    }
    return namespace;
  }

  /** Sets `key` in a map bounded to {@link rememberedPrefixes} entries, dropping the oldest. */
  #remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    if (map.size >= rememberedPrefixes) map.delete(map.keys().next().value as string);
    map.set(key, value);
  }
}

/** The path prefixes a key lives under: `a:b:c` → `''`, `a`, `a:b`. */
function prefixesOf(key: string): string[] {
  const segments = key.split(':');
  return segments.map((_, i) => segments.slice(0, i).join(':'));
}

function isComplete(tokens: (string | undefined)[]): tokens is string[] {
  return tokens.every((token) => token !== undefined);
}

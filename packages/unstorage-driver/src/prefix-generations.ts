import { ClearableNamespace, type Client, escapeKey } from '@dalli/core';

/** How many prefixes keep their namespace object (and its last token) between operations. */
const rememberedPrefixes = 1024;

/**
 * unstorage keys are paths (`a:b:c`) and `clear(base)` drops every key under a base (`a:`, `a:b:`),
 * which memcached cannot list. So each key lives under one generation token per path prefix it has
 * (the root, `a`, `a:b`), each a {@link ClearableNamespace} of the core: clearing a base writes a
 * new token for that prefix only, and every key below it moves to keys nobody reads again (they age
 * out by TTL or LRU). Never `flush_all`. The tokens of one operation are read in one tick, so the
 * client sends them in one write, beside each other.
 */
export class PrefixGenerations {
  readonly #client: Client;
  readonly #base: string;
  readonly #namespaces = new Map<string, ClearableNamespace>();

  /** `base`: the first segment of every memcached key this driver writes. */
  constructor(client: Client, base: string) {
    this.#client = client;
    this.#base = base;
  }

  /** The memcached keys of normalized unstorage keys, in the current generations. */
  async wireKeys(keys: readonly string[]): Promise<string[]> {
    const prefixes = [...new Set(keys.flatMap(prefixesOf))];
    const tokens = await Promise.all(prefixes.map((prefix) => this.#namespace(prefix).generation()));
    const tokenOf = new Map(prefixes.map((prefix, i) => [prefix, tokens[i] as string]));
    return keys.map((key) => {
      const generations = prefixesOf(key).map((prefix) => tokenOf.get(prefix));
      // Tokens are base64url, so '.' separates them unambiguously; the key's own prefixes are fixed by the key.
      return `${escapeKey(this.#base)}:${generations.join('.')}:${escapeKey(key)}`;
    });
  }

  /** Drops every key under `prefix` (a normalized base without its trailing ':'; '' for all). */
  async clear(prefix: string): Promise<void> {
    await this.#namespace(prefix).clear();
  }

  #namespace(prefix: string): ClearableNamespace {
    let namespace = this.#namespaces.get(prefix);
    if (namespace === undefined) {
      if (this.#namespaces.size >= rememberedPrefixes) {
        this.#namespaces.delete(this.#namespaces.keys().next().value as string);
      }
      // '~' is outside base64url, so a token key (`<base>:~<prefix>:__generation`) never equals a data key.
      namespace = new ClearableNamespace(this.#client, `${this.#base}:~${prefix}`);
      this.#namespaces.set(prefix, namespace);
    }
    return namespace;
  }
}

/** The path prefixes a key lives under: `a:b:c` → `''`, `a`, `a:b`. */
function prefixesOf(key: string): string[] {
  const segments = key.split(':');
  return segments.map((_, i) => segments.slice(0, i).join(':'));
}

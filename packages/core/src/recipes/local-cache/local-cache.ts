import { AsyncLocalStorage } from 'node:async_hooks';
import { localCacheHitChannel, publish } from '../../diagnostics/diagnostics.ts';

/**
 * Rails' `LocalCache` strategy: inside a scope (one HTTP request), a client remembers what it
 * read and wrote, so repeated reads of a key cost one server read. Outside a scope nothing is
 * remembered. Only this client's own writes update the memory; another process's writes during
 * the scope are not seen, which is the point of a short, request-long scope.
 */
class LocalCache {
  /** Per key: its value (undefined for a known miss), as a promise so concurrent reads share one. */
  readonly #entries = new Map<string, Promise<unknown>>();

  read(client: object, key: string, load: () => Promise<unknown>): Promise<unknown> {
    const known = this.#entries.get(key);
    if (known !== undefined) {
      publish(localCacheHitChannel, () => ({ client, key }));
      return known;
    }
    const loading = load();
    this.#entries.set(key, loading);
    // A failed read is not remembered: the next one asks the server again.
    loading.catch(() => {
      if (this.#entries.get(key) === loading) this.#entries.delete(key);
    });
    return loading;
  }

  /**
   * fetch: a remembered value if there is one, else `load()` (which reads through this cache
   * itself, so it must not wait on an entry of its own), its result remembered.
   */
  async through(key: string, load: () => Promise<unknown>): Promise<unknown> {
    const known = this.#entries.get(key);
    if (known !== undefined) {
      const value = await known;
      if (value !== undefined) return value;
    }
    const value = await load();
    if (value !== undefined) this.#entries.set(key, Promise.resolve(value));
    return value;
  }

  /** After a write: remember `value` if it was stored, forget the key otherwise (add refused, CAS lost). */
  async wrote(key: string, value: unknown, write: Promise<boolean>): Promise<boolean> {
    this.#entries.delete(key);
    const stored = await write;
    if (stored) this.#entries.set(key, Promise.resolve(value));
    return stored;
  }

  forget(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** One scope: a LocalCache per client used in it. */
type Scope = WeakMap<object, LocalCache>;
const scopes = new AsyncLocalStorage<Scope>();

/**
 * Runs `run` in a local-cache scope: every client's reads inside it (and in whatever it awaits)
 * are remembered until it ends. Nested calls open a fresh scope.
 */
export function withLocalCache<T>(run: () => T): T {
  return scopes.run(new WeakMap(), run);
}

/** The local cache of `client` in the current scope, or undefined outside any scope. */
export function localCacheOf(client: object): LocalCache | undefined {
  const scope = scopes.getStore();
  if (scope === undefined) return undefined;
  let cache = scope.get(client);
  if (cache === undefined) {
    cache = new LocalCache();
    scope.set(client, cache);
  }
  return cache;
}

/** A read through the local cache when in a scope (raw reads bypass it: they return other bytes). */
export function localRead(
  client: object,
  key: string,
  raw: boolean | undefined,
  load: () => Promise<unknown>,
): Promise<unknown> {
  const cache = raw === undefined ? localCacheOf(client) : undefined;
  return cache === undefined ? load() : cache.read(client, key, load);
}

/** A fetch through the local cache when in a scope. */
export function localFetch(
  client: object,
  key: string,
  raw: boolean | undefined,
  load: () => Promise<unknown>,
): Promise<unknown> {
  const cache = raw === undefined ? localCacheOf(client) : undefined;
  return cache === undefined ? load() : cache.through(key, load);
}

/** A store (set, add, replace) seen by the local cache when in a scope. */
export function localWrite(client: object, key: string, value: unknown, write: Promise<boolean>): Promise<boolean> {
  const cache = localCacheOf(client);
  return cache === undefined ? write : cache.wrote(key, value, write);
}

/** A write whose result the client cannot know locally (delete, incr, append…): forget the keys. */
export function localForget(client: object, keys: Iterable<string> | undefined): void {
  const cache = localCacheOf(client);
  if (cache === undefined) return;
  if (keys === undefined) cache.clear();
  else for (const key of keys) cache.forget(key);
}

/** A multi-key write: forget each key it reports on, or everything if it failed part-way. */
export async function localForgetAfter<V>(client: object, write: Promise<Map<string, V>>): Promise<Map<string, V>> {
  try {
    const results = await write;
    localForget(client, results.keys());
    return results;
  } catch (error) {
    localForget(client, undefined);
    throw error;
  }
}

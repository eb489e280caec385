import type { Client } from '@dalli/core';
import type { KeyvDalliV5 } from '@dalli/keyv';
import Keyv from 'keyv';

/** How many keys whose read failed are remembered for the write that may follow (see `set`). */
const FAILED_READS_KEPT = 1_000;

/**
 * The store `dalliStore()` returns: a Keyv 5 over memcached, which cache-manager 7 and
 * @nestjs/cache-manager 12 take in `stores`, that also answers cache-manager 5's store contract
 * (`del`, `reset`, `mget`, `mset`, `mdel`, `keys`, `ttl(key)`). cache-manager 5's
 * `caching(dalliStore, options)` calls `dalliStore(options)` exactly as an app calls it, so one
 * object has to serve both.
 *
 * Built with `throwOnErrors`, so a failing memcached rejects instead of passing for a miss
 * wherever Keyv would otherwise hide it; the one exception is the write of a key whose read just
 * failed (see `set`).
 */
export class DalliKeyv extends Keyv {
  /** cache-manager 5 stores name themselves. */
  readonly name: 'dalli' = 'dalli';
  /** Keys whose last raw read failed, oldest first. */
  readonly #failedReads = new Set<string>();

  constructor(store: KeyvDalliV5, namespace: string, ttl: number | undefined) {
    super({ store, namespace, ttl, throwOnErrors: true });
  }

  /** The client underneath, e.g. to close it on shutdown. */
  get client(): Client {
    return (this.store as KeyvDalliV5).client;
  }

  // biome-ignore lint/suspicious/noExplicitAny: Keyv's get is overloaded (one key or many, raw or not); every form passes through unchanged.
  override async get(key: any, options?: any): Promise<any> {
    try {
      return await super.get(key, options);
    } catch (error) {
      // cache-manager 7's wrap() reads raw (to learn the expiry); cache-manager 5's reads plainly
      // and reports a failed write itself.
      if (typeof key === 'string' && options?.raw === true) this.#readFailed(key);
      throw error;
    }
  }

  /**
   * Rejects when memcached fails, except for a key whose last raw read failed too:
   * cache-manager 7's `wrap()` reads raw, computes on the failed read (it takes it for a miss)
   * and then writes, and rejecting that write would make `wrap()` throw away a value already
   * computed. That write resolves `false` instead; Keyv has reported its failure on this store's
   * `error` event.
   */
  override async set<Value>(key: string, value: Value, ttl?: number): Promise<boolean> {
    const afterFailedRead = this.#failedReads.delete(key);
    try {
      return await super.set(key, value, ttl);
    } catch (error) {
      if (afterFailedRead) return false;
      throw error;
    }
  }

  /** cache-manager 5: deletes one key. */
  async del(key: string): Promise<void> {
    await this.delete(key);
  }

  /** cache-manager 5: drops this store's namespace, never the whole server. */
  reset(): Promise<void> {
    return this.clear();
  }

  /** cache-manager 5: stores each `[key, value]` with the TTL in milliseconds (default: the store's). */
  async mset(entries: [string, unknown][], ttl?: number): Promise<void> {
    await this.setMany(entries.map(([key, value]) => ({ key, value, ttl })));
  }

  /** cache-manager 5: the values of `keys`, in order, `undefined` for a miss. */
  mget(...keys: string[]): Promise<unknown[]> {
    return this.getMany(keys);
  }

  /** cache-manager 5: deletes `keys`. */
  async mdel(...keys: string[]): Promise<void> {
    await this.deleteMany(keys);
  }

  /** cache-manager 5: always rejects, memcached cannot list its keys. */
  keys(): Promise<string[]> {
    return Promise.reject(new Error('memcached cannot list its keys: keys() is not supported by @dalli/cache-manager'));
  }

  static {
    // cache-manager 5 calls `store.ttl(key)`, where Keyv has a `ttl` property (its default TTL,
    // which Keyv itself reads from `_ttl`). Reading `ttl` gives cache-manager 5's method;
    // assigning it still sets Keyv's default.
    const keyvTtl = Object.getOwnPropertyDescriptor(Keyv.prototype, 'ttl');
    Object.defineProperty(DalliKeyv.prototype, 'ttl', {
      configurable: true,
      get(this: DalliKeyv) {
        return (key: string) => this.#remaining(key);
      },
      set(this: DalliKeyv, ttl: number | undefined) {
        keyvTtl?.set?.call(this, ttl);
      },
    });
  }

  /** Milliseconds `key` has left; -1 when it never expires, -2 when it is absent (as Redis' PTTL). */
  async #remaining(key: string): Promise<number> {
    const stored = (await this.get(key, { raw: true })) as { expires?: number | null } | undefined;
    if (stored === undefined) return -2;
    return typeof stored.expires === 'number' ? Math.max(0, stored.expires - Date.now()) : -1;
  }

  #readFailed(key: string): void {
    this.#failedReads.delete(key);
    this.#failedReads.add(key);
    if (this.#failedReads.size > FAILED_READS_KEPT) {
      const [oldest] = this.#failedReads;
      if (oldest !== undefined) this.#failedReads.delete(oldest);
    }
  }
}

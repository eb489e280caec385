import { EventEmitter } from 'node:events';
import type { Client, ClientOptions } from '@dalli/core';
import { DalliStorage } from './dalli-storage.ts';
import { KeyvHolders } from './keyv-holders.ts';

/**
 * A Keyv 5 storage adapter (`new Keyv({ store: new KeyvDalliV5(...) })`), for Keyv 5.6 and what
 * builds on it: cache-manager 7 and @nestjs/cache-manager. Keyv 5 prefixes keys with its
 * namespace and passes values it has already serialized; they are stored as they are and
 * returned verbatim. TTLs are milliseconds, relative. `clear()` drops only this namespace.
 *
 * Keyv 5 turns a failed `get` into a miss unless it is created with `throwOnErrors: true`; this
 * store always rejects and also emits `error` (which Keyv re-emits), so failures stay visible.
 */
export class KeyvDalliV5 extends EventEmitter {
  /** Keyv adapters describe themselves here (Keyv's own test suite writes to it). */
  readonly opts: Record<string, unknown> & { dialect: 'memcached'; url: string };
  readonly #storage: DalliStorage;
  readonly #holders = new KeyvHolders(this);

  /**
   * @param servers a server string or list for a new {@link Client}, or an existing client to share
   * @param options options for the new client (ignored when a client is given)
   */
  constructor(servers?: string | readonly string[] | Client, options?: ClientOptions) {
    super();
    this.#storage = new DalliStorage(servers, options);
    this.opts = { dialect: 'memcached', url: Array.isArray(servers) ? servers.join(',') : String(servers ?? '') };
  }

  get(key: string): Promise<unknown> {
    return this.#surface(this.#storage.get(this.#space(), key));
  }

  getMany(keys: string[]): Promise<unknown[]> {
    return this.#surface(this.#storage.getMany(this.#space(), keys));
  }

  /** `ttl` in milliseconds from now; absent means no expiry. */
  set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    return this.#surface(this.#storage.set(this.#space(), key, value, ttl));
  }

  setMany(entries: { key: string; value: unknown; ttl?: number }[]): Promise<boolean[]> {
    const relative = entries.map(({ key, value, ttl }) => ({ key, value, ttl }));
    return this.#surface(this.#storage.setMany(this.#space(), relative));
  }

  delete(key: string): Promise<boolean> {
    return this.#surface(this.#storage.delete(this.#space(), key));
  }

  /** True when every key was there and is now deleted, as Keyv 5 expects. */
  async deleteMany(keys: string[]): Promise<boolean> {
    const deleted = await this.#surface(this.#storage.deleteMany(this.#space(), keys));
    return deleted.length > 0 && deleted.every(Boolean);
  }

  has(key: string): Promise<boolean> {
    return this.#surface(this.#storage.has(this.#space(), key));
  }

  /** Drops every key of this namespace (never the whole server). */
  clear(): Promise<void> {
    return this.#surface(this.#storage.clear(this.#space()));
  }

  /**
   * Closes the client if this store created it; a client passed in stays open for its owner.
   * A later operation opens a new client with the same servers and options.
   */
  disconnect(): Promise<void> {
    return this.#storage.disconnect();
  }

  /**
   * Set by Keyv: the namespace of every key. One adapter serves one Keyv: a second Keyv with
   * another namespace is refused with `InvalidArgumentError` (they would mix their keys). Keyvs
   * are counted, not `error` listeners: the app may listen for the adapter's errors itself.
   */
  get namespace(): string | undefined {
    return this.#storage.namespace;
  }

  set namespace(namespace: string | undefined) {
    this.#holders.settle(this.#holders.attaching(), (keyvs) => this.#storage.setNamespace(namespace, keyvs));
  }

  /** The client in use; see `disconnect()`. */
  get client(): Client {
    return this.#storage.client;
  }

  #space(): string {
    return this.#storage.namespace ?? '';
  }

  /** Rejects with the error, and tells Keyv (which listens for `error`) so it can re-emit it. */
  async #surface<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch (error) {
      if (this.listenerCount('error') > 0) this.emit('error', error);
      throw error;
    }
  }
}

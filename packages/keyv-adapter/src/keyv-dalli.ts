import { EventEmitter } from 'node:events';
import { type Client, type ClientOptions, InvalidArgumentError } from '@dalli/core';
import { DalliStorage } from './dalli-storage.ts';
import { KeyvHolders } from './keyv-holders.ts';

type MethodName = (typeof storageMethods)[number];
const storageMethods = [
  'get',
  'getMany',
  'has',
  'hasMany',
  'set',
  'setMany',
  'delete',
  'deleteMany',
  'clear',
  'disconnect',
  'iterator',
] as const;

/** Keyv 6's description of a storage adapter (its `KeyvStorageCapability` type). */
export interface StorageCapability {
  readonly compatible: boolean;
  readonly store: 'keyvStorage';
  readonly methods: Record<MethodName, { exists: boolean; methodType: 'async' | 'none' }>;
  /** The adapter takes absolute `expires` times and enforces them (memcached TTLs). */
  readonly expires: true;
}

/** Keyv's `iterator()` was called: memcached cannot enumerate its keys. */
export class IteratorUnsupportedError extends Error {
  override readonly name = 'IteratorUnsupportedError';
  readonly code = 'ERR_DALLI_ITERATOR_UNSUPPORTED';
}

/**
 * A Keyv 6 storage adapter: `new Keyv({ store: new KeyvDalli('127.0.0.1:11211') })`. Keyv 6 passes
 * keys unprefixed and sets this adapter's `namespace`, which is read on every call; one adapter
 * serves one Keyv. Values come already serialized and go back verbatim; `expires` is an absolute
 * time in epoch milliseconds. Batch methods answer per key. `clear()` drops only the namespace.
 *
 * Every method rejects when memcached fails: Keyv 6 then emits `error` and answers a miss, or
 * rethrows when nobody listens. Nothing is ever turned into a miss here.
 */
export class KeyvDalli extends EventEmitter {
  readonly #storage: DalliStorage;
  readonly #holders = new KeyvHolders(this);

  /**
   * @param servers a server string or list for a new {@link Client}, or an existing client to share
   * @param options options for the new client (ignored when a client is given)
   */
  constructor(servers?: string | readonly string[] | Client, options?: ClientOptions) {
    super();
    this.#storage = new DalliStorage(servers, options);
  }

  /** Tells Keyv 6 to use this adapter directly, with absolute expiry times (no bridge). */
  get capabilities(): StorageCapability {
    this.#holders.capabilitiesRead();
    const methods = Object.fromEntries(
      storageMethods.map((name) => {
        const exists = typeof (this as unknown as Record<string, unknown>)[name] === 'function';
        return [name, { exists, methodType: exists ? 'async' : 'none' }];
      }),
    ) as StorageCapability['methods'];
    return { compatible: true, store: 'keyvStorage', methods, expires: true };
  }

  async get(key: string): Promise<unknown> {
    return this.#storage.get(this.#space(), key);
  }

  async getMany(keys: string[]): Promise<unknown[]> {
    return this.#storage.getMany(this.#space(), keys);
  }

  /** `expires`: epoch milliseconds, or undefined for no expiry; a time already past deletes the key. */
  async set(key: string, value: unknown, expires?: number): Promise<boolean> {
    return this.#storage.set(this.#space(), key, value, remaining(expires));
  }

  async setMany(entries: { key: string; value: unknown; expires?: number }[]): Promise<boolean[]> {
    const relative = entries.map(({ key, value, expires }) => ({ key, value, ttl: remaining(expires) }));
    return this.#storage.setMany(this.#space(), relative);
  }

  async delete(key: string): Promise<boolean> {
    return this.#storage.delete(this.#space(), key);
  }

  async deleteMany(keys: string[]): Promise<boolean[]> {
    return this.#storage.deleteMany(this.#space(), keys);
  }

  async has(key: string): Promise<boolean> {
    return this.#storage.has(this.#space(), key);
  }

  async hasMany(keys: string[]): Promise<boolean[]> {
    const values = await this.#storage.getMany(this.#space(), keys);
    return values.map((value) => value !== undefined);
  }

  /** Drops every key of this namespace (never the whole server). */
  async clear(): Promise<void> {
    await this.#storage.clear(this.#space());
  }

  /**
   * Always throws {@link IteratorUnsupportedError}: memcached cannot list its keys. Offered so that
   * `keyv.iterator()` fails loudly (Keyv emits the error) instead of silently yielding nothing.
   */
  // biome-ignore lint/correctness/useYield: it throws before yielding, by design
  async *iterator(): AsyncGenerator<[string, unknown]> {
    throw new IteratorUnsupportedError(
      'memcached cannot list its keys, so Keyv iterator() is not supported by @dalli/keyv; keep your own index of keys if you need one',
    );
  }

  /**
   * Closes the client if this adapter created it; a client passed in stays open for its owner.
   * A later operation opens a new client with the same servers and options.
   */
  async disconnect(): Promise<void> {
    await this.#storage.disconnect();
  }

  /**
   * Set by Keyv: the namespace of every key. One adapter serves one Keyv: a second Keyv with
   * another namespace is refused with `InvalidArgumentError` (they would mix their keys). Keyvs
   * are counted, not `error` listeners: the app may listen for the adapter's errors itself.
   * Keyv 5 is refused with `InvalidArgumentError` too: it passes relative TTLs, which this
   * adapter would read as expiry times long past (use {@link KeyvDalliV5} there).
   */
  get namespace(): string | undefined {
    // Keyv 6 without a namespace of its own reads the adapter's as it attaches.
    const keyv = this.#holders.attaching();
    if (keyv !== undefined) this.#holders.settle(keyv, () => {});
    return this.#storage.namespace;
  }

  set namespace(namespace: string | undefined) {
    const keyv = this.#holders.attaching();
    if (keyv !== undefined && !keyv.capabilitiesRead) {
      this.#holders.refuse(keyv);
      throw new InvalidArgumentError(
        "KeyvDalli is the adapter for Keyv 6 and this Keyv is Keyv 5 (it never read the adapter's capabilities), " +
          'which passes relative TTLs that KeyvDalli would read as expiry times long past: every set with a TTL ' +
          'would store nothing. With Keyv 5 (and cache-manager 7, NestJS), use KeyvDalliV5 from @dalli/keyv.',
      );
    }
    this.#holders.settle(keyv, (keyvs) => this.#storage.setNamespace(namespace, keyvs));
  }

  /** The client in use; see `disconnect()`. */
  get client(): Client {
    return this.#storage.client;
  }

  #space(): string {
    return this.#storage.namespace ?? '';
  }
}

/** Milliseconds left until `expires` (epoch ms); undefined when there is no expiry. */
function remaining(expires: number | undefined): number | undefined {
  return expires === undefined ? undefined : expires - Date.now();
}

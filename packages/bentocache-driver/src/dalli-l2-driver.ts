import { Client, ErrorCode, InvalidArgumentError, PrefixGenerations } from '@dalli/core';
import type { CreateDriverResult, L2CacheDriver } from 'bentocache/types';
import type { DalliDriverOptions } from './driver-options.ts';

/** First segment of every memcached key the driver writes, before the generation tokens. */
const keyBase = 'bentocache';
/** Reads `pull()` makes while other writers keep changing the item. */
const pullAttempts = 5;

/**
 * The driver `bentostore().useL2Layer(dalliDriver({ servers }))` creates: bentocache's L2
 * contract onto `@dalli/core`. Values are the strings bentocache has already serialized, stored
 * verbatim. TTLs come in milliseconds and are sent as whole seconds, rounded up (bentocache keeps
 * its own logical expiry in each entry, so memcached's clock granularity only decides when the
 * bytes go). `clear()` drops this store's or namespace's keys only, never the whole server (one
 * generation token per key prefix, see the README). Failures reject with the core's typed errors, which bentocache
 * handles per its `suppressL2Errors` option.
 */
export class DalliL2Driver implements L2CacheDriver {
  readonly type = 'l2' as const;
  readonly #client: Client;
  /** Whether `disconnect()` closes the client: only the root driver of a client it created. */
  readonly #ownsClient: boolean;
  /** Shared by a driver and its namespaces: one set of remembered tokens. */
  #generations: PrefixGenerations;
  readonly #prefix: string;

  /** Use {@link dalliDriver}; bentocache calls this with its prefix added to the options. */
  constructor(options: DalliDriverOptions) {
    const shared = Client.isClient(options.servers);
    if (shared && options.clientOptions !== undefined) {
      throw new InvalidArgumentError('clientOptions cannot apply to a shared Client: configure that client instead');
    }
    this.#client = Client.isClient(options.servers)
      ? options.servers
      : new Client(options.servers, options.clientOptions);
    this.#ownsClient = !shared;
    this.#generations = new PrefixGenerations(this.#client, keyBase, { refresh: options.refresh ?? 0 });
    this.#prefix = (options.prefix ?? '').replace(/:+$/, '');
  }

  /** A driver for `prefix:namespace:`, sharing this one's client and generations. */
  namespace(namespace: string): DalliL2Driver {
    const child = new DalliL2Driver({ servers: this.#client, prefix: this.#fullKey(namespace) });
    child.#generations = this.#generations;
    return child;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#onKey(key, async (wireKey) => {
      const value = await this.#client.get(wireKey, { raw: false });
      return value === undefined ? undefined : String(value);
    });
  }

  /**
   * The value, deleted in the same step: the delete carries the CAS token of the read, so of two
   * concurrent pulls only one gets the value, and a write landing in between makes it read again
   * (up to 5 times; then it answers a miss). The text protocol has no conditional delete: there
   * the delete is unconditional and a concurrent pull may also return the value.
   */
  async pull(key: string): Promise<string | undefined> {
    return this.#onKey(key, async (wireKey) => {
      for (let attempt = 0; attempt < pullAttempts; attempt++) {
        const item = await this.#client.gets(wireKey, { raw: false });
        if (item === undefined) return undefined;
        if (await deleteIfUnchanged(this.#client, wireKey, item.cas)) return String(item.value);
      }
      return undefined;
    });
  }

  /** `ttl`: milliseconds; absent or 0 keeps the value until evicted. */
  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    const seconds = ttl === undefined || ttl === 0 ? 0 : Math.ceil(ttl / 1000);
    return this.#onKey(key, (wireKey) => this.#client.set(wireKey, value, seconds, { raw: true }));
  }

  /** Drops every key under this driver's prefix (its store or namespace), without `flush_all`. */
  async clear(): Promise<void> {
    await this.#generations.clear(this.#prefix);
  }

  async delete(key: string): Promise<boolean> {
    return this.#onKey(key, (wireKey) => this.#client.delete(wireKey));
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    if (keys.length === 0) return true;
    await this.#generations.run(
      keys.map((key) => this.#fullKey(key)),
      (wireKeys) => this.#client.deleteMulti(wireKeys),
    );
    return true;
  }

  /** Closes the client if this driver created it; a shared client stays open for its owner. */
  async disconnect(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }

  /** The client in use. */
  get client(): Client {
    return this.#client;
  }

  #fullKey(key: string): string {
    return this.#prefix === '' ? key : `${this.#prefix}:${key}`;
  }

  /** Runs `operation` on the memcached key of one of this driver's keys. */
  #onKey<T>(key: string, operation: (wireKey: string) => Promise<T>): Promise<T> {
    return this.#generations.run([this.#fullKey(key)], ([wireKey]) => operation(wireKey as string));
  }
}

/**
 * A memcached L2 layer for bentocache:
 * `bentostore().useL1Layer(memoryDriver()).useL2Layer(dalliDriver({ servers: '127.0.0.1:11211' }))`.
 */
export function dalliDriver(options: DalliDriverOptions = {}): CreateDriverResult<DalliL2Driver> {
  return { options, factory: (config: DalliDriverOptions) => new DalliL2Driver(config) };
}

/** Clients whose dialect has no conditional delete (text), learnt from their first refusal. */
const withoutCasDelete = new WeakSet<Client>();

/** Deletes the item if its CAS token is still `cas`, or unconditionally where the dialect cannot check. */
async function deleteIfUnchanged(client: Client, wireKey: string, cas: bigint): Promise<boolean> {
  if (!withoutCasDelete.has(client)) {
    try {
      return await client.delete(wireKey, { cas });
    } catch (error) {
      // Refused before anything is sent: a property of the client's dialect, not of this call.
      if (!(error instanceof InvalidArgumentError) || error.code !== ErrorCode.invalidArgument) throw error;
      withoutCasDelete.add(client);
    }
  }
  return client.delete(wireKey);
}

import { Client, InvalidArgumentError, PrefixGenerations } from '@dalli/core';
import type { Driver, TransactionOptions } from 'unstorage';
import { normalizeKey } from 'unstorage';
import type { DalliDriverOptions } from './driver-options.ts';
import { KeysUnsupportedError } from './keys-unsupported-error.ts';
import { readMeta } from './read-meta.ts';

type Item = { key: string; options?: TransactionOptions };
type ItemToSet = Item & { value: string };

/**
 * An unstorage driver over `@dalli/core`:
 * `createStorage({ driver: dalliDriver({ servers: '127.0.0.1:11211' }) })`, or mounted in Nitro
 * with `useStorage().mount('cache', dalliDriver(...))`. Values are the strings unstorage has
 * already serialized, stored verbatim (never serialized twice); raw values are bytes. A `ttl`
 * option (seconds) on a write becomes the item's memcached TTL. `clear(base)` drops only the keys
 * under `base` (one generation token per key prefix, see the README), never the whole server;
 * `getKeys()` rejects with {@link KeysUnsupportedError}. Failures reject with the core's typed
 * errors: nothing is turned into a miss.
 */
export function dalliDriver(options: DalliDriverOptions = {}): Driver<DalliDriverOptions, Client> {
  const shared = Client.isClient(options.servers);
  if (shared && options.clientOptions !== undefined) {
    throw new InvalidArgumentError('clientOptions cannot apply to a shared Client: configure that client instead');
  }
  const base = options.base ?? 'unstorage';
  if (typeof base !== 'string' || base === '') throw new InvalidArgumentError('base must be a non-empty string');
  const client = Client.isClient(options.servers)
    ? options.servers
    : new Client(options.servers, options.clientOptions);
  const generations = new PrefixGenerations(client, base, { refresh: options.refresh ?? 1000 });
  const ttlOf = (opts: TransactionOptions | undefined): number | undefined => opts?.ttl ?? options.ttl;
  /** Runs `operation` on the memcached key of one unstorage key. */
  const onKey = <T>(key: string, operation: (wireKey: string) => Promise<T>): Promise<T> =>
    generations.run([normalizeKey(key)], ([wireKey]) => operation(wireKey as string));

  return {
    name: 'dalli',
    flags: { ttl: true },
    options,
    getInstance: () => client,

    async hasItem(key) {
      return onKey(key, async (wireKey) => (await client.get(wireKey, { raw: true })) !== undefined);
    },
    async getItem(key) {
      return onKey(key, async (wireKey) => (await client.get(wireKey, { raw: false })) ?? null);
    },
    async getItemRaw(key) {
      return onKey(key, async (wireKey) => (await client.get(wireKey, { raw: true })) ?? null);
    },
    async getItems(items: Item[]) {
      return generations.run(
        items.map(({ key }) => normalizeKey(key)),
        async (wireKeys) => {
          const found = await client.getMulti(wireKeys, { raw: false });
          return items.map(({ key }, i) => ({ key, value: found.get(wireKeys[i] as string) ?? null }));
        },
      );
    },
    async setItem(key, value, opts) {
      await onKey(key, (wireKey) => client.set(wireKey, value, ttlOf(opts), { raw: true }));
    },
    async setItemRaw(key, value, opts) {
      const bytes = rawBytes(value);
      await onKey(key, (wireKey) => client.set(wireKey, bytes, ttlOf(opts), { raw: true }));
    },
    async setItems(items: ItemToSet[], commonOptions) {
      // setMulti takes one TTL per batch: one batch per distinct TTL, all sent in the same tick.
      const ttls = items.map(({ options: itemOptions }) => ttlOf({ ...commonOptions, ...itemOptions }));
      await generations.run(
        items.map(({ key }) => normalizeKey(key)),
        async (wireKeys) => {
          const byTtl = new Map<number | undefined, Map<string, string>>();
          items.forEach(({ value }, i) => {
            const batch = byTtl.get(ttls[i]) ?? new Map<string, string>();
            byTtl.set(ttls[i], batch.set(wireKeys[i] as string, value));
          });
          await Promise.all([...byTtl].map(([ttl, entries]) => client.setMulti(entries, ttl, { raw: true })));
        },
      );
    },
    async removeItem(key) {
      await onKey(key, (wireKey) => client.delete(wireKey));
    },
    async getMeta(key) {
      return onKey(key, (wireKey) => readMeta(client, wireKey));
    },
    getKeys(): never {
      throw new KeysUnsupportedError(
        'memcached cannot list its keys, so getKeys() is not supported by @dalli/unstorage; clear(base) works without it',
      );
    },
    async clear(clearBase) {
      await generations.clear(normalizeKey(clearBase));
    },
    async dispose() {
      if (!shared) await client.close();
    },
  };
}

/** The bytes of a raw value: unstorage passes what the app gave (`Uint8Array`, `ArrayBuffer`, string). */
function rawBytes(value: unknown): Uint8Array | string {
  if (value instanceof Uint8Array || typeof value === 'string') return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new InvalidArgumentError(`setItemRaw takes bytes (Uint8Array, ArrayBuffer) or a string, not ${typeof value}`);
}

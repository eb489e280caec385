import { escapeKey } from '@dalli/core';
import { entryTtl } from './entry-ttl.ts';
import type { UseCacheEntry, UseCacheHandler } from './next-contract.ts';
import { type DalliNextOptions, resolveOptions } from './options.ts';
import { TagStore } from './tag-store.ts';

/** The entry's fields before its bytes: a 4-byte big-endian length, that much JSON, then the value. */
type EntryFields = Omit<UseCacheEntry, 'value'>;

/**
 * A handler to export from a module named in `cacheHandlers` in next.config (for `"use cache"`,
 * `"use cache: remote"`, or a kind of your own), shared by every instance of a deploy: entries in
 * memcached with their `expire` as TTL, tags revalidated per tag as for the incremental cache
 * (`revalidateTag`, `updateTag`, `revalidatePath`), an instance seeing another's revalidation at
 * its next read of the entry.
 *
 * ```js
 * // use-cache-handler.mjs
 * import { createUseCacheHandler } from '@dalli/next';
 * export default createUseCacheHandler({ servers: process.env.MEMCACHE_SERVERS });
 * ```
 *
 * `getExpiration` answers `Infinity`: Next.js then passes the request's implicit tags to `get`,
 * which reads them with the entry's own tags in one `getMulti`. A read that fails is a miss and a
 * write that fails stores nothing, both reported to `onError`; a revalidation that fails rejects.
 */
export function createUseCacheHandler(options?: DalliNextOptions): UseCacheHandler {
  const resolved = resolveOptions(options);
  const tags = new TagStore(resolved.client, resolved.keyPrefix);
  const entryPrefix = `${resolved.keyPrefix}:entry:use-cache:`;
  /** Writes in progress in this process: a `get` of the same key waits for them (Next.js's rule). */
  const pending = new Map<string, Promise<void>>();
  const keyOf = (cacheKey: string) => entryPrefix + escapeKey(cacheKey);

  async function read(cacheKey: string, softTags: string[]): Promise<UseCacheEntry | undefined> {
    const stored = await resolved.client().get(keyOf(cacheKey), { raw: true });
    if (!Buffer.isBuffer(stored)) return undefined;
    const { fields, bytes } = decodeEntry(stored);
    const verdict = await tags.judge([...fields.tags, ...softTags], fields.timestamp);
    if (verdict === 'expired') return undefined;
    // -1 serves the entry once more and renews it in the background, as Next.js's own handler does.
    const revalidate = verdict === 'stale' ? -1 : fields.revalidate;
    return { ...fields, revalidate, value: streamOf(bytes) };
  }

  return {
    async get(cacheKey, softTags) {
      await pending.get(cacheKey);
      try {
        return await read(cacheKey, softTags);
      } catch (error) {
        resolved.onError(error, 'get', cacheKey);
        return undefined;
      }
    },

    async set(cacheKey, pendingEntry) {
      const write = store(pendingEntry, async (fields, bytes) => {
        await resolved.client().set(keyOf(cacheKey), encodeEntry(fields, bytes), entryTtl(fields.expire), {
          raw: true,
        });
      }).catch((error: unknown) => resolved.onError(error, 'set', cacheKey));
      pending.set(cacheKey, write);
      try {
        await write;
      } finally {
        if (pending.get(cacheKey) === write) pending.delete(cacheKey);
      }
    },

    /** Nothing to refresh: tags are read with each entry. */
    async refreshTags() {},

    async getExpiration() {
      return Number.POSITIVE_INFINITY;
    },

    async updateTags(revalidatedTags, durations) {
      await tags.revalidate(revalidatedTags, durations);
    },
  };
}

/**
 * Waits for the entry and its bytes, then writes it. An entry whose stream fails is not stored
 * (the partial bytes would be served as whole); an `expire` of 0 marks a dynamic entry, which
 * Next.js's own handler does not store either.
 */
async function store(
  pendingEntry: Promise<UseCacheEntry>,
  write: (fields: EntryFields, bytes: Buffer) => Promise<void>,
): Promise<void> {
  const { value, ...fields } = await pendingEntry;
  let bytes: Buffer;
  try {
    bytes = await bytesOf(value);
  } catch {
    return;
  }
  if (fields.expire <= 0) return;
  await write(fields, bytes);
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function streamOf(bytes: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

function encodeEntry(fields: EntryFields, bytes: Buffer): Buffer {
  const { tags, stale, timestamp, expire, revalidate } = fields;
  const json = Buffer.from(JSON.stringify({ tags, stale, timestamp, expire, revalidate }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([length, json, bytes]);
}

function decodeEntry(stored: Buffer): { fields: EntryFields; bytes: Buffer } {
  const length = stored.readUInt32BE(0);
  const fields = JSON.parse(stored.subarray(4, 4 + length).toString('utf8')) as EntryFields;
  return { fields, bytes: stored.subarray(4 + length) };
}

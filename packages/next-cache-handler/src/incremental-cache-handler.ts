import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeKey } from '@dalli/core';
import { entryTtl } from './entry-ttl.ts';
import type {
  CacheControl,
  CacheHandlerContext,
  CacheHandlerValue,
  GetContext,
  IncrementalCacheHandler,
  IncrementalCacheHandlerClass,
  IncrementalCacheValue,
  SetContext,
} from './next-contract.ts';
import { type DalliNextOptions, type ResolvedOptions, resolveOptions } from './options.ts';
import { TagStore } from './tag-store.ts';
import { decodeValue, encodeValue } from './value-codec.ts';

/** Next.js lists a page's or route's tags, its implicit path tags included, in this response header. */
const TAGS_HEADER = 'x-next-cache-tags';
const FETCH = 'FETCH';
/** Where a build is not known (no `BUILD_ID` beside `serverDistDir`, as in `next dev`). */
const NO_BUILD = 'no-build-id';

/** What is stored under an entry's key. */
interface StoredEntry {
  lastModified: number;
  value: IncrementalCacheValue | null;
  cacheControl?: CacheControl | undefined;
  /** The tags known when it was written; a fetch's soft tags come with each `get`. */
  tags: string[];
}

/**
 * A class to export from the module named by `cacheHandler` in next.config: Next.js's incremental
 * cache (ISR pages, route handlers, `fetch` and `unstable_cache` data) in memcached, shared by every
 * instance of a deploy. Revalidations (`revalidateTag`, `revalidatePath`) are kept per tag in
 * memcached, so an instance sees another's at its next read of the entry.
 *
 * ```js
 * // cache-handler.mjs
 * import { createIncrementalCacheHandler } from '@dalli/next';
 * export default createIncrementalCacheHandler({ servers: process.env.MEMCACHE_SERVERS });
 * ```
 *
 * Next.js makes an instance per request; they share one client, created at the first operation.
 * Entries live under the build's ID (read from `BUILD_ID` beside `serverDistDir`), so a new
 * deploy never serves pages rendered by the previous one. A read that fails is a miss and a write
 * that fails stores nothing, both reported to `onError`; a revalidation that fails rejects.
 */
export function createIncrementalCacheHandler(options?: DalliNextOptions): IncrementalCacheHandlerClass {
  const resolved = resolveOptions(options);
  const tags = new TagStore(resolved.client, resolved.keyPrefix);
  const buildIds = new Map<string, string>();
  return class DalliIncrementalCacheHandler extends DalliIncrementalCache {
    constructor(context: CacheHandlerContext) {
      super(resolved, tags, buildIdOf(context.serverDistDir, buildIds));
    }
  };
}

class DalliIncrementalCache implements IncrementalCacheHandler {
  readonly #options: ResolvedOptions;
  readonly #tags: TagStore;
  readonly #entryPrefix: string;

  constructor(options: ResolvedOptions, tags: TagStore, buildId: string) {
    this.#options = options;
    this.#tags = tags;
    this.#entryPrefix = `${options.keyPrefix}:entry:${escapeKey(buildId)}:`;
  }

  async get(cacheKey: string, context: GetContext): Promise<CacheHandlerValue | null> {
    try {
      return await this.#read(cacheKey, context);
    } catch (error) {
      this.#options.onError(error, 'get', cacheKey);
      return null;
    }
  }

  async set(cacheKey: string, data: IncrementalCacheValue | null, context: SetContext): Promise<void> {
    try {
      await this.#write(cacheKey, data, context);
    } catch (error) {
      this.#options.onError(error, 'set', cacheKey);
    }
  }

  async #read(cacheKey: string, context: GetContext): Promise<CacheHandlerValue | null> {
    const stored = await this.#options.client().get(this.#key(cacheKey), { raw: true });
    if (!Buffer.isBuffer(stored)) return null;
    const entry = decodeValue(stored.toString('utf8')) as StoredEntry;
    const soft = context.kind === FETCH ? [...(context.tags ?? []), ...(context.softTags ?? [])] : [];
    const verdict = await this.#tags.judge([...entry.tags, ...soft], entry.lastModified);
    if (verdict === 'expired') return null;
    const { lastModified, value, cacheControl } = entry;
    const hit: CacheHandlerValue = { lastModified, value };
    if (cacheControl !== undefined) hit.cacheControl = cacheControl;
    if (verdict === 'stale') hit.lastModified = staleLastModified(entry, Date.now());
    return hit;
  }

  async #write(cacheKey: string, data: IncrementalCacheValue | null, context: SetContext): Promise<void> {
    const cacheControl = context.fetchCache ? undefined : context.cacheControl;
    const entry: StoredEntry = { lastModified: Date.now(), value: data, cacheControl, tags: tagsOf(data, context) };
    const ttl = entryTtl(cacheControl?.expire);
    await this.#options.client().set(this.#key(cacheKey), encodeValue(entry), ttl, { raw: true });
  }

  async revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void> {
    await this.#tags.revalidate(typeof tags === 'string' ? [tags] : tags, durations);
  }

  /** Nothing is kept per request: every read goes to memcached. */
  resetRequestCache(): void {}

  #key(cacheKey: string): string {
    return this.#entryPrefix + escapeKey(cacheKey);
  }
}

/** The tags an entry carries: a fetch's own, or the tags header of a page or route. */
function tagsOf(data: IncrementalCacheValue | null, context: SetContext): string[] {
  if (data === null) return [];
  if (data.kind === FETCH) return [...new Set([...(context.tags ?? []), ...(data.tags ?? [])])];
  const header = data.headers?.[TAGS_HEADER];
  return typeof header === 'string' && header.length > 0 ? header.split(',') : [];
}

/**
 * A `lastModified` that makes Next.js serve the entry once more and render it anew in the
 * background (stale-while-revalidate), the way its own handler treats a stale tag: a fetch is stale
 * once older than its `revalidate`; a page once past its `revalidate` but not its `expire`. A page
 * without such a window gets -1: rendered anew before the answer.
 */
function staleLastModified(entry: StoredEntry, now: number): number {
  if (entry.value?.kind === FETCH) return 1;
  const control = entry.cacheControl;
  if (control === undefined || typeof control.revalidate !== 'number') return -1;
  if (control.expire !== undefined && control.expire <= control.revalidate) return -1;
  return now - control.revalidate * 1000 - 1;
}

/** The build's ID from `<serverDistDir>/../BUILD_ID`, read once per directory. */
function buildIdOf(serverDistDir: string | undefined, known: Map<string, string>): string {
  if (serverDistDir === undefined) return NO_BUILD;
  let buildId = known.get(serverDistDir);
  if (buildId === undefined) {
    try {
      buildId = readFileSync(join(serverDistDir, '..', 'BUILD_ID'), 'utf8').trim() || NO_BUILD;
    } catch {
      // `next dev` has no BUILD_ID; the build writes it before it prerenders.
      buildId = NO_BUILD;
    }
    known.set(serverDistDir, buildId);
  }
  return buildId;
}

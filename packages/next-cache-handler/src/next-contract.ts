/**
 * The parts of Next.js's cache handler contracts this package relies on, written out so that its
 * types do not depend on paths inside `next/dist` (checked against the installed Next.js's own
 * types in test/types.test.ts). Kinds are Next.js's `IncrementalCacheKind` / `CachedRouteKind` strings.
 */

/** `revalidate` and `expire` of an entry, in seconds (`false`: never revalidated). */
export interface CacheControl {
  revalidate: number | false;
  expire: number | undefined;
}

/** What Next.js passes to a `cacheHandler`'s constructor (the fields used here). */
export interface CacheHandlerContext {
  /** `<distDir>/server`, beside which `BUILD_ID` lies. */
  serverDistDir?: string;
}

/** A value of the incremental cache: a page, a route's response, a fetch, a redirect, an image. */
export interface IncrementalCacheValue {
  kind: string;
  /** Response headers of pages and routes; `x-next-cache-tags` lists their tags. */
  headers?: Record<string, unknown> | undefined;
  /** The tags of a fetch. */
  tags?: string[] | undefined;
}

/** What `get` resolves on a hit. */
export interface CacheHandlerValue {
  /** When the entry was written (epoch ms); Next.js derives staleness from it. -1: re-render before answering. */
  lastModified: number;
  value: IncrementalCacheValue | null;
  cacheControl?: CacheControl;
}

/** The second argument of `get`. */
export interface GetContext {
  kind: string;
  /** A fetch's own tags. */
  tags?: string[];
  /** The implicit tags of the page that runs the fetch (its paths, for `revalidatePath`). */
  softTags?: string[];
}

/** The third argument of `set`. */
export interface SetContext {
  /** Set for fetches (and `unstable_cache`). */
  fetchCache?: boolean;
  tags?: string[];
  cacheControl?: CacheControl;
}

/** Next.js's incremental cache handler (`cacheHandler` in next.config), as this package implements it. */
export interface IncrementalCacheHandler {
  get(cacheKey: string, context: GetContext): Promise<CacheHandlerValue | null>;
  set(cacheKey: string, data: IncrementalCacheValue | null, context: SetContext): Promise<void>;
  revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void>;
  resetRequestCache(): void;
}

/** The class a `cacheHandler` module exports: Next.js makes an instance per request. */
export type IncrementalCacheHandlerClass = new (context: CacheHandlerContext) => IncrementalCacheHandler;

/** An entry of a `"use cache"` handler; `value` is read once. */
export interface UseCacheEntry {
  value: ReadableStream<Uint8Array>;
  /** The entry's own tags (not the soft ones). */
  tags: string[];
  /** Seconds, for the client. */
  stale: number;
  /** When the entry was created, epoch ms. */
  timestamp: number;
  /** Seconds after `timestamp` when the entry must not be used any more. */
  expire: number;
  /** Seconds after `timestamp` when it should be renewed; -1 renews it at the next read. */
  revalidate: number;
}

/** Next.js's `"use cache"` handler (`cacheHandlers` in next.config). */
export interface UseCacheHandler {
  get(cacheKey: string, softTags: string[]): Promise<UseCacheEntry | undefined>;
  set(cacheKey: string, pendingEntry: Promise<UseCacheEntry>): Promise<void>;
  refreshTags(): Promise<void>;
  getExpiration(tags: string[]): Promise<number>;
  updateTags(tags: string[], durations?: { expire?: number }): Promise<void>;
}

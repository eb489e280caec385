/**
 * A shared Next.js cache in memcached, over `@dalli/core`: {@link createIncrementalCacheHandler}
 * for `cacheHandler` (ISR pages, route handlers, fetch and `unstable_cache` data) and
 * {@link createUseCacheHandler} for `cacheHandlers` (`"use cache"`), with tag revalidation shared
 * by every instance of a deploy.
 *
 * @packageDocumentation
 * @module @dalli/next
 */
export { createIncrementalCacheHandler } from './incremental-cache-handler.ts';
export type {
  CacheControl,
  CacheHandlerContext,
  CacheHandlerValue,
  GetContext,
  IncrementalCacheHandler,
  IncrementalCacheHandlerClass,
  IncrementalCacheValue,
  SetContext,
  UseCacheEntry,
  UseCacheHandler,
} from './next-contract.ts';
export type { DalliNextOptions } from './options.ts';
export type { TagDurations } from './tag-state.ts';
export { TagUpdateError } from './tag-store.ts';
export { createUseCacheHandler } from './use-cache-handler.ts';

// The contract types of this package against the installed Next.js's own (checked by `tsc`, which
// typechecks the tests; the runtime assertions only prove the handlers are built without a server).
import type { CacheHandler as NextUseCacheHandler } from 'next/dist/server/lib/cache-handlers/types.js';
import type { CacheHandlerContext as NextContext } from 'next/dist/server/lib/incremental-cache/index.js';
import type {
  GetIncrementalFetchCacheContext,
  GetIncrementalResponseCacheHandlerContext,
  IncrementalCacheValue as NextIncrementalCacheValue,
  SetIncrementalFetchCacheContext,
  SetIncrementalResponseCacheHandlerContext,
} from 'next/dist/server/response-cache/index.js';
import { expect, it } from 'vitest';
import {
  type CacheHandlerContext,
  createIncrementalCacheHandler,
  createUseCacheHandler,
  type GetContext,
  type IncrementalCacheValue,
  type SetContext,
} from '../../src/index.ts';

/** `true` when a value of `From` may be passed where `To` is expected, else `false` (a type error below). */
type Assignable<From, To> = [From] extends [To] ? true : false;

it('takes every argument Next.js passes to the incremental cache handler', () => {
  const accepted: [
    Assignable<NextContext, CacheHandlerContext>,
    Assignable<GetIncrementalFetchCacheContext, GetContext>,
    Assignable<GetIncrementalResponseCacheHandlerContext, GetContext>,
    Assignable<SetIncrementalFetchCacheContext, SetContext>,
    Assignable<SetIncrementalResponseCacheHandlerContext, SetContext>,
    Assignable<NextIncrementalCacheValue, IncrementalCacheValue>,
  ] = [true, true, true, true, true, true];
  expect(accepted).not.toContain(false);
  const Handler = createIncrementalCacheHandler({ servers: '127.0.0.1:1' });
  const context: NextContext = { revalidatedTags: [], _requestHeaders: {} };
  const handler = new Handler(context);
  expect(typeof handler.revalidateTag).toBe('function');
});

it('is a "use cache" handler as Next.js\'s own type describes it', () => {
  const handler: NextUseCacheHandler = createUseCacheHandler({ servers: '127.0.0.1:1' });
  expect(Object.keys(handler).sort()).toEqual(['get', 'getExpiration', 'refreshTags', 'set', 'updateTags']);
});

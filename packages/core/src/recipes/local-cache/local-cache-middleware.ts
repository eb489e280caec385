import { withLocalCache } from './local-cache.ts';

/**
 * Express (and NestJS, `app.use(...)` or `consumer.apply(...)`) middleware opening a local-cache
 * scope per request: within it, repeated reads of a key by any client hit memcached once.
 */
export function localCacheMiddleware(): (request: unknown, response: unknown, next: () => void) => void {
  return (_request, _response, next) => withLocalCache(next);
}

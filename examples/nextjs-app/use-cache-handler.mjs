// The "use cache" handler (cacheHandlers in next.config.mjs): one object, one memcached client.
import { createUseCacheHandler } from '@dalli/next';

export default createUseCacheHandler({ servers: process.env.MEMCACHE_SERVERS, keyPrefix: 'nextjs-app' });

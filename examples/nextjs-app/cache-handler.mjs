// Next.js loads this module (cacheHandler in next.config.mjs) and makes an instance of its default
// export per request; the instances share one memcached client. MEMCACHE_SERVERS: comma-separated.
import { createIncrementalCacheHandler } from '@dalli/next';

export default createIncrementalCacheHandler({ servers: process.env.MEMCACHE_SERVERS, keyPrefix: 'nextjs-app' });

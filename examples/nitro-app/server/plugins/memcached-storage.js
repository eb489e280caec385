// Nitro's cache (defineCachedEventHandler, defineCachedFunction) keeps its entries in the storage
// mounted at 'cache'. Mounting @dalli/unstorage there puts them in memcached, shared by every
// instance of the app.
import { dalliDriver } from '@dalli/unstorage';

export default defineNitroPlugin((nitroApp) => {
  // The meta protocol (memcached 1.6+) gives getMeta() the items' remaining TTL.
  const driver = dalliDriver({
    servers: process.env.MEMCACHE_SERVERS,
    clientOptions: { protocol: 'meta' },
    base: 'nitro-app',
    // Nitro passes a TTL only for entries without stale-while-revalidate (swr: false); this bounds
    // the others, which Nitro would otherwise keep until memcached evicts them.
    ttl: 86_400,
  });
  useStorage().mount('cache', driver);
  nitroApp.hooks.hook('close', () => driver.dispose());
});

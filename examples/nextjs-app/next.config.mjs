import { fileURLToPath } from 'node:url';

/** @type {import('next').NextConfig} */
const nextConfig = {
  // "use cache" and cacheTag need Cache Components.
  cacheComponents: true,
  partialPrefetching: true,
  // Pages, route handlers and fetch data: shared by every instance through memcached.
  cacheHandler: fileURLToPath(new URL('./cache-handler.mjs', import.meta.url)),
  // "use cache" entries: the same servers, the same tags.
  cacheHandlers: {
    default: fileURLToPath(new URL('./use-cache-handler.mjs', import.meta.url)),
    remote: fileURLToPath(new URL('./use-cache-handler.mjs', import.meta.url)),
  },
  // Every instance keeps nothing in its own memory: what one renders, the others read.
  cacheMaxMemorySize: 0,
};

export default nextConfig;

// Drops every entry of Nitro's cache storage (a new generation in memcached, never flush_all).
export default defineEventHandler(async () => {
  await useStorage('cache').clear();
  return { cleared: true };
});

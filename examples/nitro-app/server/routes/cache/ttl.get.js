// What memcached says of an item written through useStorage with a TTL (meta protocol: getMeta).
export default defineEventHandler(async () => {
  const storage = useStorage('cache');
  await storage.setItem('greeting', { hello: 'world' }, { ttl: 30 });
  const meta = await storage.getMeta('greeting');
  return { value: await storage.getItem('greeting'), ttl: meta.ttl ?? null };
});

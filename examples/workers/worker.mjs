// A Cloudflare Worker that reads and writes memcached with @dalli/core.
//   GET /            the servers' versions
//   PUT /<key>       stores the request body (?ttl=<seconds>, default 300)
//   GET /<key>       the stored text, or 404
//   DELETE /<key>    removes it
// Bindings (wrangler.toml [vars], or the workerd config serve.mjs writes): MEMCACHE_SERVERS
// ("host:port,host:port"), MEMCACHE_PROTOCOL ("meta" or "text": what proxies in front of memcached
// speak), MEMCACHE_TLS ("on" for TLS, verified by the Workers runtime).
import { Client } from '@dalli/core';

export default {
  async fetch(request, env, ctx) {
    // Workers bind sockets to the request that opened them: one client per request, closed after it.
    const client = new Client(env.MEMCACHE_SERVERS.split(','), {
      protocol: env.MEMCACHE_PROTOCOL ?? 'meta',
      tls: env.MEMCACHE_TLS === 'on',
      socketTimeout: 2,
    });
    try {
      return await respond(client, request);
    } catch (error) {
      return Response.json({ error: error.code ?? 'ERROR', message: error.message }, { status: 502 });
    } finally {
      ctx.waitUntil(client.close());
    }
  },
};

async function respond(client, request) {
  const url = new URL(request.url);
  const key = decodeURIComponent(url.pathname.slice(1));
  if (key === '') return Response.json(await client.version());
  if (request.method === 'PUT') {
    const ttl = Number(url.searchParams.get('ttl') ?? 300);
    return Response.json({ stored: await client.set(key, await request.text(), ttl) });
  }
  if (request.method === 'DELETE') return Response.json({ deleted: await client.delete(key) });
  const value = await client.get(key);
  return value === undefined ? new Response('not found', { status: 404 }) : new Response(String(value));
}

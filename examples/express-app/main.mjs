// Runs the Express example against local memcached (or MEMCACHE_SERVERS), walks through it with a
// few HTTP requests, and exits. With --serve it keeps serving for a browser until Ctrl-C.
//   node main.mjs [--serve] [--port 3000]
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { Client } from '@dalli/core';
import { DalliSessionStore } from '@dalli/express-session';
import { localServers } from '@dalli/test-utils';
import { createApp } from './app.mjs';
import { databaseLookups } from './products.mjs';

const { values: args } = parseArgs({
  options: { serve: { type: 'boolean', default: false }, port: { type: 'string' } },
});

const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})`);
const cache = new Client(memcached.servers, { namespace: 'shop' });
// Sessions get a client of their own, with failover off (see @dalli/express-session's README).
const sessionStore = new DalliSessionStore({ servers: memcached.servers });
const server = createApp({ cache, sessionStore }).listen(Number(args.port ?? (args.serve ? 3000 : 0)), '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${server.address().port}`;
console.log(`listening on ${base}`);

async function shutdown() {
  server.close();
  await Promise.all([cache.close(), sessionStore.close()]);
  await memcached.stop();
}

if (args.serve) {
  console.log('serving until Ctrl-C: open the address above in a browser');
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => shutdown().then(() => process.exit(0)));
} else {
  try {
    await walkthrough();
  } finally {
    await shutdown();
  }
}

async function walkthrough() {
  console.log('\ncache-aside with client.fetch:');
  for (let i = 0; i < 2; i++) {
    const { product, source, ms } = await (await fetch(`${base}/products/2`)).json();
    console.log(`  GET /products/2 -> ${product.name} from ${source} in ${ms} ms`);
  }
  await fetch(`${base}/products/2/cache`, { method: 'DELETE' });
  const { source } = await (await fetch(`${base}/products/2`)).json();
  console.log(`  after DELETE /products/2/cache -> from ${source}`);
  console.log(`  database lookups: ${databaseLookups()}`);

  console.log('\nsessions in memcached (DalliSessionStore):');
  let cookie;
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${base}/visits`, { headers: cookie ? { cookie } : {} });
    const label = cookie === undefined ? 'GET /visits, first visit' : 'GET /visits with the session cookie';
    console.log(`  ${label} -> ${JSON.stringify(await response.json())}`);
    cookie ??= response.headers.get('set-cookie')?.split(';')[0];
  }
  const stranger = await (await fetch(`${base}/visits`)).json();
  console.log(`  GET /visits from another browser (no cookie) -> ${JSON.stringify(stranger)}`);
  console.log('\ndone');
}

// Runs the Fastify example against local memcached (or MEMCACHE_SERVERS), walks through it with a
// few HTTP requests, and exits. With --serve it keeps serving until Ctrl-C.
//   node main.mjs [--serve] [--port 3000]
import { parseArgs } from 'node:util';
import { DalliSessionStore } from '@dalli/express-session';
import { localServers } from '@dalli/test-utils';
import { createApp } from './app.mjs';

const { values: args } = parseArgs({
  options: { serve: { type: 'boolean', default: false }, port: { type: 'string' } },
});

const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})`);
const sessionStore = new DalliSessionStore({ servers: memcached.servers });
const app = await createApp({ sessionStore });
const base = await app.listen({ port: Number(args.port ?? (args.serve ? 3000 : 0)), host: '127.0.0.1' });
console.log(`listening on ${base}\n`);

async function shutdown() {
  await app.close();
  await sessionStore.close();
  await memcached.stop();
}

if (args.serve) {
  console.log(`serving until Ctrl-C: try curl -c jar -b jar ${base}/visits`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => shutdown().then(() => process.exit(0)));
} else {
  try {
    await walkthrough();
  } finally {
    await shutdown();
  }
}

async function walkthrough() {
  let cookie;
  const call = async (method, path) => {
    const response = await fetch(`${base}${path}`, { method, headers: cookie ? { cookie } : {} });
    cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    return JSON.stringify(await response.json());
  };
  const show = (label, value) => console.log(`${label.padEnd(40)} ${value}`);
  show('GET /visits, first visit', await call('GET', '/visits'));
  show('GET /visits with the session cookie', await call('GET', '/visits'));
  const before = cookie;
  show('POST /login?user=gala', await call('POST', '/login?user=gala'));
  show('  new session id at login', String(cookie !== before));
  show('GET /visits', await call('GET', '/visits'));
  const sid = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).split('.')[0];
  const stored = await sessionStore.get(sid);
  show(
    '  in memcached under',
    `${sessionStore.keyOf(sid).slice(0, 12)}…: user ${stored.user}, visits ${stored.visits}`,
  );
  show('POST /logout', await call('POST', '/logout'));
  show('  in memcached after logout', String(await sessionStore.get(sid)));
  show('GET /visits with the old cookie', await call('GET', '/visits'));
}

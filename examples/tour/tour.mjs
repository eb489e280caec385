// The demo: a tour of @dalli/core against local memcached it starts and stops itself. Part one
// uses one server, part two a cluster of three, one of which it kills and brings back.
//   node examples/tour/tour.mjs           run the tour and exit
//   node examples/tour/tour.mjs --serve   then keep the Express example serving on the cluster
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startMemcached } from '@dalli/test-utils';
import { basics } from './basics.mjs';
import { cluster } from './cluster.mjs';

const { values: args } = parseArgs({
  options: { serve: { type: 'boolean', default: false }, port: { type: 'string', default: '3000' } },
});

const memcached = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
console.log(`started memcached ${memcached.map((server) => `${server.address} (pid ${server.pid})`).join(', ')}`);
try {
  await basics(memcached[0]);
  await cluster(memcached);
  if (args.serve) await serveExpressExample(memcached.map((server) => server.address));
} finally {
  await Promise.all(memcached.map((server) => server.stop()));
  console.log('\nmemcached stopped; tour complete.');
}

/** Runs examples/express-app against the cluster until Ctrl-C. */
async function serveExpressExample(servers) {
  console.log('\n▸ The Express example on this cluster (Ctrl-C to stop)');
  const app = spawn(
    process.execPath,
    [fileURLToPath(new URL('../express-app/main.mjs', import.meta.url)), '--serve', '--port', args.port],
    { env: { ...process.env, MEMCACHE_SERVERS: servers.join(',') }, stdio: 'inherit' },
  );
  // Ctrl-C reaches the whole process group; wait for the app to close, then stop the cluster.
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => app.kill(signal));
  await once(app, 'exit');
}

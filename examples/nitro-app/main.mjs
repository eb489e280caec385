// Two instances of a Nitro app (its node-server build) sharing Nitro's cache storage in memcached
// through @dalli/unstorage: a route cached by one is served by the other; a clear on one clears
// both. Builds the app first when its build is missing or older than its sources.
//   node main.mjs
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, localServers } from '@dalli/test-utils';

const here = fileURLToPath(new URL('.', import.meta.url));
const entry = join(here, '.output/server/index.mjs');

function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function buildIfStale() {
  const driverDist = dirname(fileURLToPath(import.meta.resolve('@dalli/unstorage')));
  const sources = Math.max(newest(join(here, 'server')), newest(join(here, 'nitro.config.mjs')), newest(driverDist));
  if (newest(entry) >= sources) return;
  console.log('building the Nitro app (nitropack build)');
  const nitro = join(createRequire(import.meta.url).resolve('nitropack/package.json'), '../dist/cli/index.mjs');
  const build = spawnSync(process.execPath, [nitro, 'build'], { cwd: here, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`nitropack build failed:\n${build.stdout}${build.stderr}`);
}

/** Starts the built server as one instance, and resolves once it listens. */
async function startInstance(name, servers) {
  const port = await freePort();
  const env = {
    ...process.env,
    MEMCACHE_SERVERS: servers.join(','),
    NITRO_HOST: '127.0.0.1',
    NITRO_PORT: String(port),
    INSTANCE_NAME: name,
  };
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening: ${output}`)));
  });
  return { name, base: `http://127.0.0.1:${port}`, child };
}

async function stopInstance({ child }) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

buildIfStale();
const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})`);
const instances = [];
try {
  instances.push(await startInstance('a', memcached.servers), await startInstance('b', memcached.servers));
  const [a, b] = instances;
  console.log(`nitro instances: a ${a.base}, b ${b.base}\n`);
  const get = async (instance, path, init) => (await fetch(`${instance.base}${path}`, init)).json();

  const first = await get(a, '/products/7');
  console.log(`GET a/products/7                 computed by ${first.computedBy}`);
  const shared = await get(b, '/products/7');
  console.log(
    `GET b/products/7                 computed by ${shared.computedBy}, same entry: ${shared.at === first.at}`,
  );
  console.log(`DELETE b/cache                   ${JSON.stringify(await get(b, '/cache', { method: 'DELETE' }))}`);
  // Another instance's clear reaches a's reads within the driver's `refresh` (1 s by default).
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const after = await get(a, '/products/7');
  console.log(
    `GET a/products/7 1 s after the clear computed by ${after.computedBy}, new entry: ${after.at !== first.at}`,
  );
  console.log(`GET a/cache/ttl                  ${JSON.stringify(await get(a, '/cache/ttl'))}`);
  console.log(`GET a/cache/keys                 ${JSON.stringify(await get(a, '/cache/keys'))}`);
} finally {
  await Promise.all(instances.map(stopInstance));
  await memcached.stop();
}

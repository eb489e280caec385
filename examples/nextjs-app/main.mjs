// Two `next start` instances of this app share one cache in memcached through @dalli/next: what
// one renders the other serves, and a revalidation on one is seen by the other at its next request.
// Builds first when .next is missing or older than the app (or with --build), then walks through
// and exits. Starts its own memcached, or uses MEMCACHE_SERVERS.
//   node main.mjs [--build]
import { parseArgs } from 'node:util';
import { localServers } from '@dalli/test-utils';
import { build, isBuilt, start } from './next-processes.mjs';

const { values: args } = parseArgs({ options: { build: { type: 'boolean', default: false } } });

const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})`);
// The build prerenders /products, writing to the cache as the instances will.
const env = { MEMCACHE_SERVERS: memcached.servers.join(',') };
const instances = [];
try {
  if (args.build || !isBuilt()) {
    console.log('next build ...');
    console.log(`built in ${(await build(env)).toFixed(1)} s`);
  }
  instances.push(...(await Promise.all([start(env), start(env)])));
  const [a, b] = instances;
  console.log(`instance A: ${a.url}\ninstance B: ${b.url}\n`);
  await walkthrough(a, b);
} finally {
  await Promise.all(instances.map((instance) => instance.stop()));
  await memcached.stop();
}

async function walkthrough(a, b) {
  const show = async (name, instance) => {
    const html = await (await fetch(`${instance.url}/products`)).text();
    const version = /id="version">([^<]+)</.exec(html)?.[1];
    console.log(`  ${name} GET /products -> catalog version ${version}`);
  };
  const revalidate = async (name, instance, query) => {
    const response = await fetch(`${instance.url}/api/revalidate?${query}`, { method: 'POST' });
    console.log(`${name} POST /api/revalidate?${query} -> ${response.status}`);
  };
  console.log('one cache for both instances:');
  await show('A', a);
  await show('B', b);
  await revalidate('A', a, 'tag=products');
  await show('B', b);
  await show('A', a);
  await revalidate('B', b, 'path=/products');
  await show('A', a);
  await show('B', b);
}

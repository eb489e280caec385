// A hot key expires while 3 app instances (3 clients, 3 connections) serve 20 requests each.
//   node index.mjs
import { Client } from '@dalli/core';
import { localServers } from '@dalli/test-utils';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})\n`);

const instances = [1, 2, 3].map(() => new Client(memcached.servers, { protocol: 'meta' }));
let queries = 0;
/** The expensive thing the cache protects: 200 ms of "database". */
async function loadHomepage() {
  const edition = ++queries;
  await sleep(200);
  return { headline: `edition ${edition}` };
}

/** 20 concurrent requests on each instance; returns what they got and how long the slowest waited. */
async function herd(read) {
  queries = 0;
  const started = performance.now();
  const results = await Promise.all(instances.flatMap((client) => Array.from({ length: 20 }, () => read(client))));
  return { results, ms: Math.round(performance.now() - started) };
}

const show = (label, { results, ms }) => {
  const counts = new Map();
  for (const { headline } of results) counts.set(headline, (counts.get(headline) ?? 0) + 1);
  const served =
    counts.size > 3 ? `${counts.size} different pages` : [...counts].map(([h, n]) => `${h} ×${n}`).join(', ');
  console.log(`${label.padEnd(46)} ${String(queries).padStart(2)} queries for 60 requests (${ms} ms): ${served}`);
};

try {
  // Without protection: each request misses, queries, and sets.
  await instances[0].delete('homepage');
  show(
    'get, then set on a miss:',
    await herd(async (client) => {
      const cached = await client.get('homepage');
      if (cached !== undefined) return cached;
      const page = await loadHomepage();
      await client.set('homepage', page, 60);
      return page;
    }),
  );

  // With fetch: coalesced per instance, one lock across instances; the others wait for its value.
  await instances[0].delete('homepage');
  show('fetch (meta, one lock):', await herd((client) => client.fetch('homepage', 60, loadHomepage)));

  // Stale-while-revalidate: one request recomputes, the other 59 get the old page at once.
  await instances[0].invalidate('homepage', { grace: 30 });
  const stale = await instances[1].getWithMetadata('homepage');
  console.log(`after invalidate: stale=${stale.stale}, win=${stale.win} (that read won the recompute)`);
  await instances[0].set('homepage', { headline: 'edition 0' }, 60);
  await instances[0].invalidate('homepage', { grace: 30 });
  show('fetch after invalidate({ grace: 30 }):', await herd((client) => client.fetch('homepage', 60, loadHomepage)));

  // Refresh ahead: the item has 5 s left, below refreshAhead; one instance refreshes in the background.
  await instances[0].set('homepage', { headline: 'edition 0' }, 5);
  show(
    'fetch with refreshAhead: 30 (5 s left):',
    await herd((client) => client.fetch('homepage', 60, loadHomepage, { refreshAhead: 30 })),
  );
  await sleep(300);
  console.log(`a moment later: ${(await instances[0].get('homepage')).headline}`);
} finally {
  await Promise.all(instances.map((client) => client.close()));
  await memcached.stop();
}

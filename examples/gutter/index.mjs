// A gutter pool, as memcached's proxy routelib and Facebook's memcache paper describe it: when a
// primary stops answering, its keys go to a small spare pool that keeps them briefly (their TTL
// clamped), instead of being rehashed onto the live primaries. Three real memcached primaries and
// one gutter; one primary is frozen (SIGSTOP) while its keys are updated, then thawed with its old
// values still in memory. The same run with Dalli's rehash (no routes) shows what that costs.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@dalli/core';
import { itemTtl, startMemcached } from '@dalli/test-utils';

const GUTTER_ROUTES = {
  // writes fail over to the gutter with their TTL clamped to 5 minutes
  write: { route: 'failover', children: ['main', { route: 'ttl', ttl: 300, child: 'gutter' }] },
  default: { route: 'failover', children: ['main', 'gutter'] },
};

async function run(label, routed) {
  const primaries = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  const gutter = await startMemcached();
  console.log(`\n${label}: primaries ${primaries.map((p) => p.port).join(', ')}, gutter ${gutter.port}`);
  const client = new Client(
    primaries.map((p) => p.address),
    {
      socketTimeout: 0.5, // a frozen server is noticed within 0.5 s here (default 1 s)
      socketMaxFailures: 1,
      downRetryDelay: 1,
      ...(routed ? { pools: { gutter: { servers: [gutter.address] } }, routes: GUTTER_ROUTES } : {}),
    },
  );

  const keys = Array.from({ length: 300 }, (_, i) => `user:${i}`);
  await client.setMulti(keys.map((key) => [key, { version: 1 }]));
  const frozen = primaries[0];
  const victims = keys.filter((key) => client.locate(key).server === frozen.address);
  console.log(`${victims.length} of ${keys.length} keys live on ${frozen.port}; freezing it`);
  await frozen.freeze();

  // Update every key of the frozen server. The first request there times out and marks it down.
  let failed = 0;
  for (const key of victims) await client.set(key, { version: 2 }, 3600).catch(() => failed++);
  console.log(`updated them while it was frozen: ${failed} failed`);
  if (routed) {
    const ttl = await itemTtl(gutter.address, victims[0]);
    console.log(`in the gutter, ${victims[0]} (written with a 3600 s TTL) has ${ttl} s left`);
  }

  await frozen.thaw();
  // Until its probe (1 s after it was marked down) the others keep answering for it.
  while (!client.servers().find((state) => state.name === frozen.address)?.up) {
    await client.get(victims[0]);
    await sleep(100);
  }
  const counts = { stale: 0, current: 0, missed: 0 };
  for (const key of victims) {
    const value = await client.get(key);
    if (value === undefined) counts.missed++;
    else if (value.version === 1) counts.stale++;
    else counts.current++;
  }
  console.log(
    `thawed with its old values: ${counts.stale} stale values served, ${counts.current} current, ${counts.missed} misses (to be refilled)`,
  );
  if (routed) {
    const { failovers, journaled, invalidated } = client.routeStats();
    console.log(`routeStats: ${failovers} failovers, ${journaled} writes journaled, ${invalidated} old copies deleted`);
  }
  await client.close();
  await Promise.all([...primaries, gutter].map((server) => server.stop()));
}

await run("Dalli's rehash (no routes)", false);
await run('failover to a gutter pool', true);
console.log('\ndone.');

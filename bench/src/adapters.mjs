// Round trips of the adapters: session get, a request that changes its session (get + set), Keyv
// get and Keyv set, with 100 operations in flight (or --concurrency N), on three local memcached
// (-t 1; or --servers N). Beside ops/s it reports the gets memcached served per operation (from
// each server's `stats` cmd_get before and after each run: the namespace token's cost shows here)
// and the busiest server's share of them. Prints one Markdown table; run it before and after a
// change to compare.
//   node bench/src/adapters.mjs [--ms 3000] [--rounds 3] [--concurrency 100] [--servers 3]
import { parseArgs } from 'node:util';
import { Client } from '@dalli/core';
import { DalliSessionStore } from '@dalli/express-session';
import { KeyvDalli } from '@dalli/keyv';
import { startMemcached } from '@dalli/test-utils';
import { Keyv } from 'keyv';
import { closedLoop } from './loops.mjs';

const { values: args } = parseArgs({
  options: {
    ms: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '100' },
    servers: { type: 'string', default: '3' },
  },
});
const maxMs = Number(args.ms);
const rounds = Number(args.rounds);
const CONCURRENCY = Number(args.concurrency);
const MAX_OPS = 5_000_000;
const IDS = 1_000;

const memcacheds = await Promise.all(
  Array.from({ length: Number(args.servers) }, () => startMemcached({ args: ['-t', '1', '-c', '4096'] })),
);
const servers = memcacheds.map((memcached) => memcached.address);
const statsClient = new Client(servers);

const sessions = new DalliSessionStore({ servers });
const keyv = new Keyv({ store: new KeyvDalli(servers), namespace: 'bench' });
const sids = Array.from({ length: IDS }, (_, i) => `bench-session-${i}`);
const session = (i) => ({ cookie: { originalMaxAge: null, expires: null }, user: `user-${i}`, views: i });
for (const [i, sid] of sids.entries()) await sessions.set(sid, session(i));
for (let i = 0; i < IDS; i++) await keyv.set(`k${i}`, { n: i });

const callback = (promise, done) => promise.then(() => done(), done);
const scenarios = {
  'session get': (i, done) => callback(sessions.get(sids[i % IDS]), done),
  'session get + set': (i, done) =>
    callback(
      sessions.get(sids[i % IDS]).then((data) => sessions.set(sids[i % IDS], { ...data, views: i })),
      done,
    ),
  'keyv get': (i, done) => callback(keyv.get(`k${i % IDS}`), done),
  'keyv set': (i, done) => callback(keyv.set(`k${i % IDS}`, { n: i }), done),
};

/** Each server's cmd_get (every key asked for counts once, in a multi-get too). */
const serverGets = async () => Object.values(await statsClient.stats()).map((stats) => Number(stats.cmd_get));

/** One measured run, with the gets memcached served during it per operation and the busiest server's share. */
async function measured(op) {
  const before = await serverGets();
  const run = await closedLoop({ op, concurrency: CONCURRENCY, maxOps: MAX_OPS, maxMs });
  const served = (await serverGets()).map((gets, i) => gets - before[i]);
  const total = served.reduce((sum, gets) => sum + gets, 0);
  return { ...run, getsPerOp: total / run.ops, busiestShare: total === 0 ? 0 : Math.max(...served) / total };
}

const figures = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, op] of Object.entries(scenarios)) {
    await closedLoop({ op, concurrency: CONCURRENCY, maxOps: 2_000, maxMs: 200 }); // warm-up
    figures[name].push(await measured(op));
  }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(`${CONCURRENCY} in flight, ${servers.length} servers, ${rounds} rounds of ${maxMs} ms; medians`);
console.log('| operation | ops/s | p50 ms | p99 ms | server gets/op | busiest server |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, runs] of Object.entries(figures)) {
  const ops = median(runs.map((run) => run.opsPerSecond));
  const p50 = median(runs.map((run) => run.p50Ms));
  const p99 = median(runs.map((run) => run.p99Ms));
  const gets = median(runs.map((run) => run.getsPerOp));
  const busiest = median(runs.map((run) => run.busiestShare));
  console.log(
    `| ${name} | ${Math.round(ops).toLocaleString('en')} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ` +
      `${gets.toFixed(3)} | ${(busiest * 100).toFixed(0)}% |`,
  );
}

await sessions.close();
await keyv.disconnect();
await statsClient.close();
await Promise.all(memcacheds.map((memcached) => memcached.stop()));

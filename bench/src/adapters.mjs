// Round trips of the adapters: session get, a request that changes its session (get + set), Keyv
// get and Keyv set, with 100 operations in flight (or --concurrency N), on one local memcached
// (-t 1). Prints one Markdown table; run it before and after a change to compare.
//   node bench/src/adapters.mjs [--ms 3000] [--rounds 3] [--concurrency 100]
import { parseArgs } from 'node:util';
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
  },
});
const maxMs = Number(args.ms);
const rounds = Number(args.rounds);
const CONCURRENCY = Number(args.concurrency);
const MAX_OPS = 5_000_000;
const IDS = 1_000;

const memcached = await startMemcached({ args: ['-t', '1', '-c', '4096'] });
const servers = memcached.address;

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

const figures = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, op] of Object.entries(scenarios)) {
    await closedLoop({ op, concurrency: CONCURRENCY, maxOps: 2_000, maxMs: 200 }); // warm-up
    figures[name].push(await closedLoop({ op, concurrency: CONCURRENCY, maxOps: MAX_OPS, maxMs }));
  }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(`${CONCURRENCY} in flight, ${rounds} rounds of ${maxMs} ms; medians`);
console.log('| operation | ops/s | p50 ms | p99 ms |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, runs] of Object.entries(figures)) {
  const ops = median(runs.map((run) => run.opsPerSecond));
  const p50 = median(runs.map((run) => run.p50Ms));
  const p99 = median(runs.map((run) => run.p99Ms));
  console.log(`| ${name} | ${Math.round(ops).toLocaleString('en')} | ${p50.toFixed(2)} | ${p99.toFixed(2)} |`);
}

await sessions.close();
await keyv.disconnect();
await memcached.stop();

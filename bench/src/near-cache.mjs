// Near cache on vs off (issue 26), in one run on one local memcached: gets of a Zipf(0.99)
// workload over 100k keys and of a uniform one, 100 in flight; p50/p99 per get at the API, and
// the gets that reached memcached (its `cmd_get`, so revalidations `mg <key> c` count too), and
// the share an ideal near cache of that ttl would send at the same pace (`idealShare`). Then:
// the latency of a near-cache hit with one get in flight, the staleness another client's write
// sees, the bytes held under 1M distinct keys, and how soon a key at 5 % of the traffic is
// reported on dalli:hotkey. Every loop is bounded in count and time.
//
//   node24 bench/src/near-cache.mjs [--ms 5000] [--rounds 1] [--workloads zipf,uniform]
//                                   [--parts table,hit,staleness,memory,hotkey] [--core ./packages/core/src/index.ts]
//
// With --rounds N the table's runs are interleaved (off, on, off, on, ...) N times, so the machine's
// load drifts over both sides alike, and each row gives the median of its N runs.
//
// Node 24 strips the types of the TypeScript sources it imports.
import { subscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { seededRandom } from './seeded-random.mjs';

const { values } = parseArgs({
  options: {
    ms: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '1' },
    workloads: { type: 'string', default: 'zipf,uniform' },
    parts: { type: 'string', default: 'table,hit,staleness,memory,hotkey' },
    core: { type: 'string', default: './packages/core/src/index.ts' },
    'test-utils': { type: 'string', default: './packages/test-utils/src/index.ts' },
  },
});
const load = (path) => import(path.startsWith('.') ? new URL(path, `file://${process.cwd()}/`).href : path);
const { Client } = await load(values.core);
const { startMemcached } = await load(values['test-utils']);

const KEYS = 100_000;
const IN_FLIGHT = 100;
const MAX_OPS = 5_000_000;
const DURATION = Number(values.ms);
const ROUNDS = Number(values.rounds);
const WORKLOADS = values.workloads.split(',');
const PARTS = new Set(values.parts.split(','));
const VALUE = { id: 1, name: 'x'.repeat(80) };
const memcached = await startMemcached({ args: ['-m', '1024'] });
const key = (i) => `near:${i}`;

/** `count` key indexes: Zipf(s) over `KEYS` by inverting its CDF, or uniform when s is 0. */
function sequence(s, count) {
  const next = seededRandom(26); // both runs see the same key sequence
  const indexes = new Uint32Array(count);
  if (s === 0) {
    for (let i = 0; i < count; i++) indexes[i] = Math.floor(next() * KEYS);
    return indexes;
  }
  const cdf = new Float64Array(KEYS);
  let sum = 0;
  for (let i = 0; i < KEYS; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  for (let i = 0; i < count; i++) {
    const target = next() * sum;
    let low = 0;
    let high = KEYS - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cdf[mid] < target) low = mid + 1;
      else high = mid;
    }
    indexes[i] = low;
  }
  return indexes;
}

const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));
const serverGets = async (client) => Number(Object.values(await client.stats())[0].cmd_get);
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function run(name, indexes, nearCache) {
  const client = new Client(memcached.address, { protocol: 'meta', nearCache });
  const latencies = new Float64Array(Math.min(MAX_OPS, indexes.length));
  const starts = new Float64Array(latencies.length);
  let done = 0;
  let next = 0;
  await client.get(key(0)); // connect before timing
  const before = await serverGets(client);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (done < latencies.length && performance.now() - started < DURATION) {
      const t0 = performance.now();
      starts[next] = t0;
      const k = key(indexes[next++ % indexes.length]);
      await client.get(k);
      latencies[done++] = performance.now() - t0;
      // As an app's requests arrive: each get starts from the event loop, so a run of local hits
      // cannot hold the replies of other gets back in the microtask queue.
      await yieldToLoop();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const reached = (await serverGets(client)) - before;
  const sorted = latencies.subarray(0, done).sort();
  const stats = client.nearCacheStats();
  await client.close();
  return {
    name,
    gets: done,
    opsPerSec: Math.round((done / elapsed) * 1000),
    cpuUsPerGet: +((used.user + used.system) / done).toFixed(2),
    p50us: +(quantile(sorted, 0.5) * 1000).toFixed(2),
    p99us: +(quantile(sorted, 0.99) * 1000).toFixed(2),
    serverGets: reached,
    serverShare: +(reached / done).toFixed(4),
    idealShare: nearCache === undefined ? undefined : idealShare(indexes, starts, next, nearCache.ttl * 1000),
    nearBytes: stats?.bytes,
  };
}

/**
 * The share of gets an ideal near cache with this ttl would still send, at the pace the run took:
 * unbounded, admitting every key, one read per key per ttl (the first get of a key, or the first
 * after its ttl ran out, goes to the server; the others are served locally). No near cache of that
 * ttl can send fewer: with ttl 1 s the floor is the number of distinct keys asked for per second.
 */
function idealShare(indexes, starts, count, ttl) {
  const readAt = new Float64Array(KEYS).fill(Number.NEGATIVE_INFINITY);
  let reads = 0;
  for (let i = 0; i < count; i++) {
    const k = indexes[i % indexes.length];
    if (starts[i] - readAt[k] < ttl) continue;
    readAt[k] = starts[i];
    reads++;
  }
  return +(reads / count).toFixed(4);
}

/** A near-cache hit with one get in flight: the API cost of a value already decoded. */
async function hitLatency() {
  const client = new Client(memcached.address, { protocol: 'meta', nearCache: { ttl: 60 } });
  await client.get(key(1));
  const samples = new Float64Array(200_000);
  for (let i = 0; i < samples.length; i++) {
    const t0 = performance.now();
    await client.get(key(1));
    samples[i] = performance.now() - t0;
  }
  await client.close();
  const sorted = samples.sort();
  return { p50us: +(quantile(sorted, 0.5) * 1000).toFixed(3), p99us: +(quantile(sorted, 0.99) * 1000).toFixed(3) };
}

/** ms from another client's write (acknowledged) to the first get returning it, ttl 1 s, 10 trials. */
async function staleness() {
  const reader = new Client(memcached.address, { protocol: 'meta', nearCache: { ttl: 1 } });
  const writer = new Client(memcached.address, { protocol: 'meta' });
  const seen = [];
  for (let trial = 0; trial < 10; trial++) {
    await writer.set('near:stale', trial);
    while ((await reader.get('near:stale')) !== trial) {}
    // Let a random part of the ttl pass, as a write lands at any time in a reader's ttl.
    await new Promise((resolve) => setTimeout(resolve, (trial * 97) % 1000));
    await writer.set('near:stale', `${trial}-new`);
    const written = performance.now();
    for (let polls = 0; polls < 1_000_000; polls++) {
      if ((await reader.get('near:stale')) === `${trial}-new`) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    seen.push(performance.now() - written);
  }
  await Promise.all([reader.close(), writer.close()]);
  return { maxMs: +Math.max(...seen).toFixed(1), meanMs: +(seen.reduce((a, b) => a + b) / seen.length).toFixed(1) };
}

/** Bytes the near cache accounts for, and heap growth, after 1M distinct keys pass through it. */
async function memory() {
  const seed = new Client(memcached.address, { protocol: 'meta' });
  for (let start = 0; start < 1_000_000; start += 2000) {
    await seed.setMulti(Array.from({ length: 2000 }, (_, i) => [`mem:${start + i}`, 'v'.repeat(20)]));
  }
  await seed.close();
  const maxBytes = 16 * 1024 * 1024;
  const client = new Client(memcached.address, { protocol: 'meta', nearCache: { maxBytes, ttl: 600 } });
  let most = 0;
  for (let start = 0; start < 1_000_000; start += 2000) {
    await client.getMulti(Array.from({ length: 2000 }, (_, i) => `mem:${start + i}`));
    most = Math.max(most, client.nearCacheStats().bytes);
  }
  const stats = client.nearCacheStats();
  await client.close();
  return {
    maxBytes,
    mostBytes: most,
    entries: stats.entries,
    evictions: stats.evictions,
    rejections: stats.rejections,
  };
}

/** ms from the first request of a key at 5 % of the traffic to its report (1 s windows). */
async function hotKeyDelay() {
  const client = new Client(memcached.address, { protocol: 'meta', hotKeys: true });
  let reportedAt;
  subscribe('dalli:hotkey', (message) => {
    if (message.client === client && message.key === key(7) && reportedAt === undefined) reportedAt = performance.now();
  });
  const started = performance.now();
  const uniform = sequence(0, 200_000);
  for (let i = 0; reportedAt === undefined && performance.now() - started < 5000; i++) {
    await client.getMulti(
      Array.from({ length: 100 }, (_, j) => (j % 20 === 0 ? key(7) : key(uniform[(i * 100 + j) % uniform.length]))),
    );
  }
  await client.close();
  return { reportMs: reportedAt === undefined ? 'none in 5 s' : +(reportedAt - started).toFixed(0) };
}

const seeder = new Client(memcached.address, { protocol: 'meta' });
for (let start = 0; start < KEYS; start += 1000) {
  await seeder.setMulti(Array.from({ length: 1000 }, (_, i) => [key(start + i), VALUE]));
}
await seeder.close();

const sequences = { zipf: ['zipf 0.99', 0.99], uniform: ['uniform', 0] };
const MiB = 1024 * 1024;
/** The table's runs of one workload: off first, so each "on" row can give its server gets relative to it. */
const configs = (workload) => [
  ['near cache off', undefined],
  ['near cache on (16 MiB, ttl 1 s)', { maxBytes: 16 * MiB, ttl: 1 }],
  // On uniform, a cache that holds 5 % of the keys: where a near cache cannot help, it must not hurt.
  ...(workload === 'uniform' ? [['near cache on (1 MiB, ttl 1 s)', { maxBytes: MiB, ttl: 1 }]] : []),
];
const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
if (PARTS.has('table')) {
  const runs = new Map();
  const indexesOf = new Map(WORKLOADS.map((workload) => [workload, sequence(sequences[workload][1], 2_000_000)]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const workload of WORKLOADS) {
      const [label] = sequences[workload];
      const indexes = indexesOf.get(workload);
      for (const [name, nearCache] of configs(workload)) {
        const row = `${label}, ${name}`;
        runs.set(row, [...(runs.get(row) ?? []), await run(row, indexes, nearCache)]);
      }
    }
  }
  const rows = [];
  for (const workload of WORKLOADS) {
    const [label] = sequences[workload];
    let off;
    for (const [name] of configs(workload)) {
      const results = runs.get(`${label}, ${name}`);
      const row = { name: results[0].name };
      for (const field of Object.keys(results[0]).filter((field) => field !== 'name')) {
        row[field] = results[0][field] === undefined ? undefined : median(results.map((result) => result[field]));
      }
      if (off === undefined) off = row;
      else row.serverGetsVsOff = +(row.serverShare / off.serverShare).toFixed(3);
      rows.push(row);
    }
  }
  if (ROUNDS > 1) console.log(`median of ${ROUNDS} interleaved rounds, ${DURATION} ms each:`);
  console.table(rows);
  if (ROUNDS > 1) {
    const compact = [...runs].map(([name, results]) => ({
      name,
      cpuUsPerGet: results.map((result) => result.cpuUsPerGet).join(' / '),
      opsPerSec: results.map((result) => result.opsPerSec).join(' / '),
      serverShare: results.map((result) => result.serverShare).join(' / '),
    }));
    console.log('each round:');
    console.table(compact);
  }
}
if (PARTS.has('hit')) console.log('hit, 1 in flight:', await hitLatency());
if (PARTS.has('staleness')) console.log("staleness of another client's write (ttl 1 s):", await staleness());
if (PARTS.has('memory')) console.log('1M distinct keys through a 16 MiB near cache:', await memory());
if (PARTS.has('hotkey')) console.log('hot key at 5 %, 1 s windows:', await hotKeyDelay());
await memcached.stop();

// Benchmark: gets with 100 requests in flight against one local memcached (-t 1), for @dalli/core
// and memjs 1.3.2 in the same run, interleaved round by round. Reports the median of the rounds
// with min–max, and writes bench/results/latest.json.
//   node bench/src/main.mjs [--quick] [--rounds N] [--ops N]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startMemcached } from '@dalli/test-utils';
import { dalli } from './clients/dalli.mjs';
import { dalliTraced } from './clients/dalli-traced.mjs';
import { memjsClient } from './clients/memjs.mjs';
import { closedLoop } from './closed-loop.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    ops: { type: 'string' },
  },
});
const rounds = Number(args.rounds ?? (args.quick ? 3 : 7));
const totalOps = Number(args.ops ?? (args.quick ? 50_000 : 200_000));
const MAX_MS_PER_RUN = 15_000;
const clients = [dalli, dalliTraced, memjsClient];
const VALUE = 'v'.repeat(100);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const memcached = await startMemcached({ args: ['-t', '1'] });
try {
  const opened = [];
  for (const client of clients) {
    const handle = await client.open(memcached.address);
    const key = `bench:get:${opened.length}`;
    await handle.set(key, VALUE);
    opened.push({ client, handle, key, runs: [] });
  }
  const scenario = 'get, 100 in flight';
  console.log(`${scenario}: ${rounds} rounds of ${totalOps} ops per client (plus a warm-up round), memcached -t 1`);
  for (let round = 0; round <= rounds; round++) {
    for (const entry of opened) {
      entry.client.beforeRun?.();
      const result = await closedLoop({
        op: (done) => entry.handle.get(entry.key, done),
        concurrency: 100,
        totalOps: round === 0 ? totalOps / 5 : totalOps,
        maxMs: MAX_MS_PER_RUN,
      });
      entry.client.afterRun?.();
      if (round > 0) entry.runs.push(result);
    }
  }
  const records = opened.map(({ client, runs }) => {
    const rates = runs.map((run) => run.opsPerSecond);
    return {
      scenario,
      client: client.name,
      opsPerSecond: median(rates),
      opsPerSecondMin: Math.min(...rates),
      opsPerSecondMax: Math.max(...rates),
      cpuMicrosPerOp: median(runs.map((run) => run.cpuMicrosPerOp)),
      rounds: runs.length,
      opsPerRound: totalOps,
    };
  });
  const baseline = records.find((record) => record.client === memjsClient.name).opsPerSecond;
  console.table(
    records.map((record) => ({
      client: record.client,
      'ops/s (median)': Math.round(record.opsPerSecond),
      'min–max': `${Math.round(record.opsPerSecondMin)}–${Math.round(record.opsPerSecondMax)}`,
      'client CPU µs/op': record.cpuMicrosPerOp.toFixed(2),
      'vs memjs': `${(record.opsPerSecond / baseline).toFixed(2)}×`,
    })),
  );
  const output = new URL('../results/latest.json', import.meta.url);
  writeFileSync(
    output,
    `${JSON.stringify({ node: process.version, date: new Date().toISOString(), records }, null, 2)}\n`,
  );
  console.log(`results written to bench/results/latest.json`);
  for (const { handle } of opened) await handle.close();
} finally {
  await memcached.stop();
}

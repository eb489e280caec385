// get-100 and set-100 on Node, Bun and Deno in one run: @dalli/core and memjs (its peer where it
// runs), each run in a fresh process of the runtime (worker.mjs), interleaved round by round on
// one local memcached (-t 1); figures are medians over the rounds (min–max shown).
//   node bench/src/runtimes.mjs [--rounds N] [--ms N]
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@dalli/core';
import { startMemcached } from '@dalli/test-utils';
// The runtime binaries the workspace installs from npm (see packages/core/test/runtimes).
import { runtimeBinary } from '../../packages/core/test/runtimes/runtime-binaries.mjs';
import { KEYSPACE, key, VALUE_100 } from './scenarios.mjs';
import { median } from './stats.mjs';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, ms: { type: 'string', default: '2000' } },
});
const rounds = Number(args.rounds);
const runMs = Number(args.ms);
const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const SCENARIOS = ['get-100', 'set-100'];
const CLIENTS = ['dalli', 'memjs'];
const RUNTIMES = {
  node: [process.execPath],
  bun: [runtimeBinary('bun')],
  deno: [runtimeBinary('deno'), 'run', '--allow-all'],
};

function run(runtime, clientId, scenario, server) {
  const [file, ...prefix] = RUNTIMES[runtime];
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...prefix, worker, clientId, scenario, server, String(runMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), runMs * 4 + 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(output));
      else reject(new Error(`${clientId} on ${scenario} under ${runtime} exited with ${code}`));
    });
  });
}

const memcached = await startMemcached({ args: ['-t', '1', '-c', '4096'] });
const versions = {};
const runs = [];
try {
  const client = new Client(memcached.address, { compress: false });
  await client.setMulti(
    Array.from({ length: KEYSPACE }, (_, i) => [key(i), VALUE_100]),
    0,
    { raw: true },
  );
  await client.close();
  for (const [runtime, [file]] of Object.entries(RUNTIMES)) {
    versions[runtime] = /\d+\.\d+\.\d+/.exec(spawnSync(file, ['--version'], { encoding: 'utf8' }).stdout)?.[0];
  }
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of SCENARIOS) {
      for (const runtime of Object.keys(RUNTIMES)) {
        for (const clientId of CLIENTS) {
          try {
            runs.push({ scenario, runtime, clientId, ...(await run(runtime, clientId, scenario, memcached.address)) });
          } catch (error) {
            console.error(`  ${error.message}`);
            runs.push({ scenario, runtime, clientId, failed: true });
          }
        }
      }
    }
    console.error(`round ${round}/${rounds} done`);
  }
} finally {
  await memcached.stop();
}

const lines = [
  `${rounds} rounds of ${runMs} ms, each run in a fresh process; memcached -t 1 on loopback.`,
  `Runtimes: ${Object.entries(versions)
    .map(([runtime, version]) => `${runtime} ${version}`)
    .join(', ')}.`,
  '',
  '| scenario | runtime | client | ops/s (median) | min–max | p50 ms | p99 ms | CPU µs/op |',
  '|---|---|---|---:|---:|---:|---:|---:|',
];
for (const scenario of SCENARIOS) {
  for (const runtime of Object.keys(RUNTIMES)) {
    for (const clientId of CLIENTS) {
      const mine = runs.filter((r) => r.scenario === scenario && r.runtime === runtime && r.clientId === clientId);
      const ok = mine.filter((r) => !r.failed);
      const name = clientId === 'dalli' ? '@dalli/core' : 'memjs 1.3.2';
      if (ok.length === 0) {
        lines.push(`| ${scenario} | ${runtime} | ${name} | failed | | | | |`);
        continue;
      }
      const rates = ok.map((r) => r.opsPerSecond);
      lines.push(
        `| ${scenario} | ${runtime} | ${name} | ${Math.round(median(rates))} | ${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))} | ${median(ok.map((r) => r.p50Ms)).toFixed(2)} | ${median(ok.map((r) => r.p99Ms)).toFixed(2)} | ${median(ok.map((r) => r.cpuMicrosPerOp)).toFixed(1)} |`,
      );
    }
  }
}
console.log(lines.join('\n'));

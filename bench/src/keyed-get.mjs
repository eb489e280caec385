// Single gets, 100 in flight, on one local memcached: ops/s and client CPU per get. Used to weigh
// GETK (the reply echoes the key, checked against the request) against plain GET (issue 14,
// finding 12). Bounded by count and time.
//
//   node bench/src/keyed-get.mjs --server 127.0.0.1:PORT [--core <module>] [--ms 3000] [--value-bytes 100]
//
// `--core` loads another build of the client (a checkout's src/index.ts under Node 24, which
// strips types), so two versions are compared by the same script on the same server.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    server: { type: 'string' },
    core: { type: 'string', default: '@dalli/core' },
    ms: { type: 'string', default: '3000' },
    'value-bytes': { type: 'string', default: '100' },
  },
});
const moduleUrl = values.core.startsWith('.') ? new URL(values.core, `file://${process.cwd()}/`).href : values.core;
const { Client } = await import(moduleUrl);
const KEYS = 1_000;
const IN_FLIGHT = 100;
const MAX_OPS = 20_000_000;
const maxMs = Number(values.ms);
const client = new Client(values.server, { compress: false });
const keys = Array.from({ length: KEYS }, (_, i) => `bench:keyed:${i}`);
await client.setMulti(
  keys.map((key) => [key, 'v'.repeat(Number(values['value-bytes']))]),
  0,
  { raw: true },
);

async function run(durationMs) {
  let done = 0;
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (done < MAX_OPS && performance.now() - started < durationMs) {
      await client.get(keys[next++ % KEYS]);
      done++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { opsPerSec: Math.round((done / elapsed) * 1000), cpuUsPerOp: +((used.user + used.system) / done).toFixed(2) };
}

await run(300); // warm-up
console.log(JSON.stringify({ core: values.core, node: process.version, ...(await run(maxMs)) }));
await client.close();

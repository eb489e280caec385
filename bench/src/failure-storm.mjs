// Failure storm: how long 100,000 gets to a stopped server take to fail, and how long the event
// loop is blocked meanwhile (issue 14, finding 6). Bounded by count and by a 60 s watchdog.
//
//   node bench/src/failure-storm.mjs [--count N] [--core <module>]
//
// `--core` loads another build of the client (for example a checkout's src/index.ts under Node 24,
// which strips types), so a before/after comparison runs the same script.
import { createServer } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '100000' }, core: { type: 'string', default: '@dalli/core' } },
});
const count = Number(values.count);
const { Client } = await import(
  values.core.startsWith('.') ? new URL(values.core, `file://${process.cwd()}/`).href : values.core
);

/** A loopback port with nothing listening: a stopped server. */
async function stoppedPort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const watchdog = setTimeout(() => {
  console.error('failure storm: did not finish within 60 s');
  process.exit(1);
}, 60_000);
const client = new Client(`127.0.0.1:${await stoppedPort()}`);
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const started = performance.now();
const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => client.get(`storm:${i}`)));
const elapsed = performance.now() - started;
loop.disable();
clearTimeout(watchdog);
const kinds = {};
for (const result of results) {
  const name = result.status === 'fulfilled' ? 'fulfilled' : result.reason?.name;
  kinds[name] = (kinds[name] ?? 0) + 1;
}
await client.close();
console.log(
  JSON.stringify({
    node: process.version,
    count,
    msToFailAll: Math.round(elapsed),
    eventLoopMaxBlockMs: Math.round(loop.max / 1e6),
    eventLoopP99Ms: Math.round(loop.percentile(99) / 1e6),
    outcomes: kinds,
  }),
);

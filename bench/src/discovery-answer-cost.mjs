// What one big discovery answer costs the process (issue 23, item 12): the longest event-loop
// block and the heap it adds while a client applies a configuration endpoint's answer of N nodes,
// or a DNS name with N A records (real dnsmasq). The nodes are never connected to: only discovery
// and membership are measured. Bounded: one answer, a 120 s watchdog.
//
//   node --expose-gc bench/src/discovery-answer-cost.mjs [--source config|dns] [--nodes N] [--limit N] [--core <module>]
//
// `--core` loads another build of the client (for example a checkout's src/index.ts under Node 24,
// which strips types), so a before/after comparison runs the same script:
//   .tools/node24/.../node --expose-gc --conditions=source bench/src/discovery-answer-cost.mjs --core ./packages/core/src/index.ts
// `--limit` sets `discoveryMaxNodes` (the option the fix adds; leave it out on a build without it).
import { subscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startConfigEndpoint, startDnsmasq } from '@dalli/test-utils';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: 'config' },
    nodes: { type: 'string', default: '8000' },
    limit: { type: 'string' },
    core: { type: 'string', default: '@dalli/core' },
  },
});
const count = Number(values.nodes);
const { Client } = await import(
  values.core.startsWith('.') ? new URL(values.core, `file://${process.cwd()}/`).href : values.core
);
const gc = globalThis.gc ?? (() => {});
const watchdog = setTimeout(() => {
  console.error('discovery answer cost: no change or error within 120 s');
  process.exit(1);
}, 120_000);

/** Node i of N: a distinct loopback address and port (nothing listens; nothing connects). */
const address = (i) => `127.${1 + Math.floor(i / 65_000)}.${Math.floor((i % 65_000) / 250)}.${1 + (i % 250)}`;

let stopServer;
let server;
let options;
if (values.source === 'dns') {
  const dns = await startDnsmasq({ 'big.cache.test': Array.from({ length: count }, (_, i) => address(i)) });
  stopServer = () => dns.stop();
  server = 'big.cache.test:11211';
  options = { discovery: 'dns', dnsServers: [dns.address] };
} else {
  const endpoint = await startConfigEndpoint();
  endpoint.announce(Array.from({ length: count }, (_, i) => ({ host: '', ip: address(i), port: 11211 })));
  stopServer = () => endpoint.close();
  server = endpoint.address;
  options = { discovery: 'config' };
}

// The longest gap between two 1 ms ticks is the longest the loop was blocked.
let last = performance.now();
let maxGap = 0;
let peakHeap = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last);
  last = now;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 1);

gc();
const heapBefore = process.memoryUsage().heapUsed;
const outcome = new Promise((resolve) => {
  subscribe('dalli:cluster:change', (message) => resolve({ applied: message.servers.length }));
  subscribe('dalli:discovery:error', (message) => {
    if (!message.applied) resolve({ refused: `${message.error.name}: ${message.error.message.slice(0, 120)}` });
  });
});
const started = performance.now();
last = started;
const client = new Client(server, {
  ...options,
  discoveryInterval: 600,
  ...(values.limit === undefined ? {} : { discoveryMaxNodes: Number(values.limit) }),
});
const result = await outcome;
const elapsed = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 50));
clearInterval(ticker);
clearTimeout(watchdog);
gc();
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  JSON.stringify({
    node: process.version,
    source: values.source,
    nodes: count,
    limit: values.limit ?? 'default',
    ...result,
    msToOutcome: Math.round(elapsed),
    eventLoopMaxBlockMs: Math.round(maxGap),
    heapRetainedMiB: Math.round((heapAfter - heapBefore) / 2 ** 20),
    heapPeakAddedMiB: Math.round((peakHeap - heapBefore) / 2 ** 20),
  }),
);
await client.close();
await stopServer();

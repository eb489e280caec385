// What @dalli/otel costs: `get` with 100 in flight on one local memcached (-t 1), without
// OpenTelemetry, with only a no-op subscriber on core's channel (core's traced path), with the
// OpenTelemetry SDK and its in-memory exporters attached (metrics, spans, both, and spans sampled
// at 1 %), and with @dalli/otel/prometheus's handler alone, modes alternating in each round. Then,
// over 1M gets: the heap retained after a forced GC and the young-generation GCs (what was
// allocated), never instrumented, instrumented then stopped, and with metrics attached for scale.
// Prints Markdown tables.
//   node --expose-gc bench/src/otel-overhead.mjs [--ms 3000] [--rounds 3] [--ops 1000000]
import { tracingChannel } from 'node:diagnostics_channel';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '@dalli/core';
import { instrument } from '@dalli/otel';
import { prometheusHandler } from '@dalli/otel/prometheus';
import { startMemcached } from '@dalli/test-utils';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { closedLoop } from './loops.mjs';

const { values: args } = parseArgs({
  options: {
    ms: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    ops: { type: 'string', default: '1000000' },
  },
});
const maxMs = Number(args.ms);
const rounds = Number(args.rounds);
const heapOps = Number(args.ops);
const CONCURRENCY = 100;
const KEYS = 1_000;

const memcached = await startMemcached({ args: ['-t', '1', '-c', '4096'] });
const client = new Client(memcached.address);
for (let i = 0; i < KEYS; i++) await client.set(`k${i}`, `value-${i}`);
const get = (i, done) => client.get(`k${i % KEYS}`).then(() => done(), done);

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1_000 });
const meterProvider = new MeterProvider({ readers: [reader] });

const sampledProvider = new BasicTracerProvider({
  sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.01) }),
  spanProcessors: [new SimpleSpanProcessor(spans)],
});
const noop = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
const otel = (options) => () => {
  const running = instrument(client, options);
  return () => running.stop();
};
/** Each mode attaches itself and returns its detach. */
const MODES = {
  'not attached': () => () => {},
  "a no-op subscriber on core's channel": () => {
    tracingChannel('dalli:command').subscribe(noop);
    return () => tracingChannel('dalli:command').unsubscribe(noop);
  },
  'metrics (SDK, in-memory exporter)': otel({ meterProvider, spans: false }),
  'spans (SDK, in-memory exporter)': otel({ tracerProvider, metrics: false }),
  'spans + metrics': otel({ tracerProvider, meterProvider }),
  'spans sampled at 1 % + metrics': otel({ tracerProvider: sampledProvider, meterProvider }),
  'prometheusHandler only (no OpenTelemetry)': () => {
    const handler = prometheusHandler(client);
    return () => handler.stop();
  },
};
const runs = Object.fromEntries(Object.keys(MODES).map((mode) => [mode, []]));
for (let round = 0; round < rounds; round++) {
  for (const [mode, attach] of Object.entries(MODES)) {
    const detach = attach();
    await closedLoop({ op: get, concurrency: CONCURRENCY, maxOps: 2_000, maxMs: 200 }); // warm-up
    runs[mode].push(await closedLoop({ op: get, concurrency: CONCURRENCY, maxOps: 5_000_000, maxMs }));
    detach();
    spans.reset(); // the in-memory exporter keeps every span: drop them between runs
  }
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const baseline = median(runs['not attached'].map((run) => run.opsPerSecond));
const baseCpu = median(runs['not attached'].map((run) => run.cpuMicrosPerOp));
console.log(`get, ${CONCURRENCY} in flight, ${rounds} rounds of ${maxMs} ms (modes alternating); medians`);
console.log('| attached | ops/s | vs not attached | client CPU µs/op | added CPU µs/op | p50 ms | p99 ms |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [mode, list] of Object.entries(runs)) {
  const ops = median(list.map((run) => run.opsPerSecond));
  const cpu = median(list.map((run) => run.cpuMicrosPerOp));
  const p50 = median(list.map((run) => run.p50Ms));
  const p99 = median(list.map((run) => run.p99Ms));
  const change = `${((ops / baseline - 1) * 100).toFixed(1)} %`;
  const figures = [Math.round(ops).toLocaleString('en'), change, cpu.toFixed(2), (cpu - baseCpu).toFixed(2)];
  console.log(`| ${mode} | ${figures.join(' | ')} | ${p50.toFixed(2)} | ${p99.toFixed(2)} |`);
}
console.log('');

/**
 * Over `count` gets with nothing subscribed (bounded to 120 s): the heap retained after a forced
 * GC, and the young-generation collections, which count what was allocated meanwhile.
 */
async function heapOver(count) {
  let scavenges = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
  });
  observer.observe({ entryTypes: ['gc'] });
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  await closedLoop({ op: get, concurrency: CONCURRENCY, maxOps: count, maxMs: 120_000 });
  globalThis.gc?.();
  const growth = process.memoryUsage().heapUsed - before;
  await new Promise((resolve) => setImmediate(resolve)); // let the observer see the last entries
  observer.disconnect();
  return { growth, scavenges };
}
if (globalThis.gc === undefined) console.log('(run with node --expose-gc for the heap figures)');
else {
  const never = await heapOver(heapOps);
  instrument(client, { tracerProvider, meterProvider }).stop();
  const stopped = await heapOver(heapOps);
  // For scale: the same with metrics attached (spans are left out: the in-memory exporter keeps them all).
  const running = instrument(client, { meterProvider, spans: false });
  const attached = await heapOver(heapOps);
  running.stop();
  console.log(`over ${heapOps.toLocaleString('en')} gets`);
  console.log('| OpenTelemetry | heap retained after GC | per op | young-generation GCs |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [label, { growth, scavenges }] of [
    ['never instrumented', never],
    ['instrumented, then stopped', stopped],
    ['(for scale) metrics attached', attached],
  ])
    console.log(`| ${label} | ${(growth / 1024).toFixed(0)} KiB | ${(growth / heapOps).toFixed(3)} B | ${scavenges} |`);
}

await Promise.all([tracerProvider.shutdown(), sampledProvider.shutdown(), meterProvider.shutdown()]);
await client.close();
await memcached.stop();

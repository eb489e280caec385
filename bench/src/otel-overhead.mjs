// What @dalli/otel costs: `get` with 100 in flight on one local memcached (-t 1), without
// OpenTelemetry, with only a no-op subscriber on core's channel (core's traced path), with the
// OpenTelemetry SDK and its in-memory exporters attached (metrics, spans, both, and spans sampled
// at 1 %), and with @dalli/otel/prometheus's handler alone, modes alternating in each round. Then,
// over 1M gets: the heap retained after a forced GC and the young-generation GCs (what was
// allocated), never instrumented, instrumented then stopped, and with metrics attached for scale.
// Beside each mode, what the same OpenTelemetry SDK calls cost with no dalli at all (a bounded loop of
// histogram.record with the attribute set dalli uses, and of startSpan/setAttributes/end), so the
// table shows which part of the added cost is the SDK's own. The in-memory span exporter is
// emptied every 250 ms during a run (it keeps every span; a real exporter ships and drops them).
// Prints Markdown tables.
//   node --expose-gc bench/src/otel-overhead.mjs [--ms 3000] [--rounds 3] [--ops 1000000]
import { tracingChannel } from 'node:diagnostics_channel';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '@dalli/core';
import { instrument } from '@dalli/otel';
import { prometheusHandler } from '@dalli/otel/prometheus';
import { startMemcached } from '@dalli/test-utils';
import { context, SpanKind } from '@opentelemetry/api';
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
/**
 * CPU µs per call of `call`, with no dalli: the SDK's own price for what one operation asks of it.
 * Bounded: 100,000 calls or 1 s, after a warm-up of 10,000.
 */
function sdkMicros(call) {
  for (let i = 0; i < 10_000; i++) call(i);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let calls = 0;
  while (calls < 100_000 && (calls % 1024 !== 0 || performance.now() - started < 1_000)) {
    call(calls++);
    // As during the runs: the in-memory exporter is emptied now and then, not left to grow.
    if (calls % 16_384 === 0) spans.reset();
  }
  const used = process.cpuUsage(cpu);
  spans.reset();
  return (used.user + used.system) / calls;
}
const sdkMeter = meterProvider.getMeter('sdk-alone');
const sdkHistogram = sdkMeter.createHistogram('sdk.alone.duration', { unit: 's' });
// The attribute set dalli records a get's duration with.
const [host, port] = memcached.address.split(':');
const durationAttributes = {
  'db.system.name': 'memcached',
  'server.address': host,
  'server.port': Number(port),
  'db.operation.name': 'get',
  'dalli.outcome': 'hit',
};
const record = (i) => sdkHistogram.record((i % 100) / 100_000, durationAttributes);
const startAttributes = { 'db.system.name': 'memcached', 'db.operation.name': 'get', 'dalli.protocol': 'binary' };
const endAttributes = { 'server.address': host, 'server.port': Number(port), 'dalli.hit': true };
const spanWith = (provider) => {
  const tracer = provider.getTracer('sdk-alone');
  return () => {
    const span = tracer.startSpan('get', { kind: SpanKind.CLIENT, attributes: startAttributes }, context.active());
    if (span.isRecording()) span.setAttributes(endAttributes);
    span.end();
  };
};
const span = spanWith(tracerProvider);
const sampledSpan = spanWith(sampledProvider);
/** The SDK alone, per mode: what the same calls cost without dalli. */
const SDK_ALONE = {
  'metrics (SDK, in-memory exporter)': record,
  'spans (SDK, in-memory exporter)': span,
  'spans + metrics': (i) => {
    span(i);
    record(i);
  },
  'spans sampled at 1 % + metrics': (i) => {
    sampledSpan(i);
    record(i);
  },
};
const sdkRuns = Object.fromEntries(Object.keys(SDK_ALONE).map((mode) => [mode, []]));

const runs = Object.fromEntries(Object.keys(MODES).map((mode) => [mode, []]));
for (let round = 0; round < rounds; round++) {
  for (const [mode, attach] of Object.entries(MODES)) {
    const detach = attach();
    const emptying = setInterval(() => spans.reset(), 250);
    await closedLoop({ op: get, concurrency: CONCURRENCY, maxOps: 2_000, maxMs: 200 }); // warm-up
    runs[mode].push(await closedLoop({ op: get, concurrency: CONCURRENCY, maxOps: 5_000_000, maxMs }));
    clearInterval(emptying);
    detach();
    spans.reset();
    if (SDK_ALONE[mode] !== undefined) sdkRuns[mode].push(sdkMicros(SDK_ALONE[mode]));
  }
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const baseline = median(runs['not attached'].map((run) => run.opsPerSecond));
const baseCpu = median(runs['not attached'].map((run) => run.cpuMicrosPerOp));
console.log(`get, ${CONCURRENCY} in flight, ${rounds} rounds of ${maxMs} ms (modes alternating); medians`);
console.log(
  '| attached | ops/s | on/off | change | client CPU µs/op | added CPU µs/op | the SDK alone µs/op | p50 ms | p99 ms |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [mode, list] of Object.entries(runs)) {
  const ops = median(list.map((run) => run.opsPerSecond));
  const cpu = median(list.map((run) => run.cpuMicrosPerOp));
  const p50 = median(list.map((run) => run.p50Ms));
  const p99 = median(list.map((run) => run.p99Ms));
  const sdk = sdkRuns[mode] === undefined ? '–' : median(sdkRuns[mode]).toFixed(2);
  const figures = [
    Math.round(ops).toLocaleString('en'),
    (ops / baseline).toFixed(3),
    `${((ops / baseline - 1) * 100).toFixed(1)} %`,
    cpu.toFixed(2),
    (cpu - baseCpu).toFixed(2),
    sdk,
  ];
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

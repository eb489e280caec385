// OpenTelemetry example: @dalli/otel turns every memcached operation into a span, nested under the
// request span that caused it, and into metrics; the same figures are served to Prometheus by
// @dalli/otel/prometheus. Starts its own memcached, prints what was reported, and exits.
//   node examples/opentelemetry/index.mjs

import { Client } from '@dalli/core';
import { instrument } from '@dalli/otel';
import { prometheusHandler } from '@dalli/otel/prometheus';
import { startMemcached } from '@dalli/test-utils';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

// The app's OpenTelemetry setup (an OTLP exporter in production; in-memory ones here, to print).
const spanExporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] }));
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

const memcached = await startMemcached();
const client = new Client(memcached.address);
// One line per client: spans and metrics, keys in db.query.text with their identifiers masked.
const otel = instrument(client, { queryText: 'obfuscated' });
const prometheus = prometheusHandler(client); // app.get('/metrics', prometheus) in Express
const tracer = trace.getTracer('example-app');

try {
  // What a web request handler would do, inside its own span.
  await tracer.startActiveSpan('GET /profile/42', async (request) => {
    await client.set('profile:42', { name: 'Gala', visits: 1 });
    await client.get('profile:42');
    await client.get('profile:43');
    await client.getMulti(['profile:42', 'profile:43']);
    await client.get('not a valid key').catch(() => {});
    request.end();
  });
  await reader.forceFlush();
} finally {
  otel.stop();
  prometheus.stop();
  await client.close();
  await memcached.stop();
}

const spans = spanExporter.getFinishedSpans();
const root = spans.find((span) => span.parentSpanContext === undefined);
const children = spans.filter((span) => span.parentSpanContext?.spanId === root?.spanContext().spanId);
const sameTrace = spans.every((span) => span.spanContext().traceId === root?.spanContext().traceId);
console.log(
  `${spans.length} spans in ${sameTrace ? 'one trace' : 'several traces'}; ${children.length} memcached spans under "${root?.name}":`,
);
for (const span of [root, ...children]) {
  if (span === undefined) continue;
  const indent = span === root ? '' : '  └ ';
  const attributes = Object.entries(span.attributes)
    .filter(([name]) => name !== 'db.system.name' && name !== 'server.port')
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(' ');
  const status = ['UNSET', 'OK', 'ERROR'][span.status.code];
  console.log(`${indent}${span.name} [${status}] ${attributes}`);
}

const names = metricExporter
  .getMetrics()
  .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics.map((m) => m.descriptor.name)));
console.log(`\nmetrics: ${[...new Set(names)].sort().join(', ')}`);
console.log('\nPrometheus (excerpt of the in-app handler):');
for (const line of prometheus.metrics().split('\n'))
  if (/^dalli_client_(hits|misses|errors)_total|_count\{/.test(line)) console.log(`  ${line}`);

// OpenTelemetry example: every memcached operation becomes a span, nested under the request span
// that caused it. Starts its own memcached, prints the spans, and exits.
//   node examples/opentelemetry/index.mjs

import { Client } from '@dalli/core';
import { startMemcached } from '@dalli/test-utils';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { traceDalli } from './dalli-otel.mjs';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const stopTracing = traceDalli();

const memcached = await startMemcached();
const client = new Client(memcached.address);
const tracer = trace.getTracer('example-app');

try {
  // What a web request handler would do, inside its own span.
  await tracer.startActiveSpan('GET /profile/42', async (request) => {
    await client.set('profile:42', { name: 'Gala', visits: 1 });
    await client.get('profile:42');
    await client.get('profile:missing');
    await client.getMulti(['profile:42', 'profile:43']);
    await client.get('not a valid key').catch(() => {});
    request.end();
  });
} finally {
  stopTracing();
  await client.close();
  await memcached.stop();
}

const spans = exporter.getFinishedSpans();
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
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(' ');
  const status = ['UNSET', 'OK', 'ERROR'][span.status.code];
  console.log(`${indent}${span.name} [${status}] ${attributes}`);
}

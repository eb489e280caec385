import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DalliInstrumentation } from '../../src/index.ts';
import { OtelSdk, observations, pointsOf } from '../support/otel-sdk.ts';

let memcached: MemcachedProcess;
const sdks: OtelSdk[] = [];
const clients: Client[] = [];
const instrumentations: DalliInstrumentation[] = [];

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());
afterEach(async () => {
  for (const otel of instrumentations.splice(0)) otel.disable();
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const sdk of sdks.splice(0)) await sdk.shutdown();
});

function sdk(): OtelSdk {
  const made = new OtelSdk();
  sdks.push(made);
  return made;
}
function client(protocol: 'binary' | 'meta' | 'text'): Client {
  const made = new Client(memcached.address, { protocol });
  clients.push(made);
  return made;
}
/** As `registerInstrumentations` does it: made disabled, given the providers, then enabled. */
function registered(otel: OtelSdk): DalliInstrumentation {
  const instrumentation = new DalliInstrumentation({ enabled: false });
  instrumentations.push(instrumentation);
  instrumentation.setTracerProvider(otel.tracerProvider);
  instrumentation.setMeterProvider(otel.meterProvider);
  if (instrumentation.getConfig().enabled !== true) instrumentation.enable();
  return instrumentation;
}

it('reports every client of the process, spans and metrics, once registered', async () => {
  const otel = sdk();
  registered(otel);
  const binary = client('binary');
  const meta = client('meta');
  await binary.set('inst:k', 'v');
  await binary.get('inst:k');
  await meta.get('inst:none');
  const spans = otel.spans.getFinishedSpans();
  expect(spans.map((span) => [span.name, span.attributes['dalli.protocol']])).toEqual([
    ['set', 'binary'],
    ['get', 'binary'],
    ['get', 'meta'],
  ]);
  expect(spans[0]?.instrumentationScope).toMatchObject({ name: '@dalli/otel', version: '0.1.0' });
  const duration = (await otel.metrics()).get('db.client.operation.duration');
  expect(observations(duration, { 'db.operation.name': 'get', 'dalli.outcome': 'hit' })).toBe(1);
  expect(observations(duration, { 'db.operation.name': 'get', 'dalli.outcome': 'miss' })).toBe(1);
});

it('disable() stops spans and metrics; enable() resumes them', async () => {
  const otel = sdk();
  const instrumentation = registered(otel);
  const cache = client('meta');
  instrumentation.disable();
  await cache.get('inst:off');
  expect(otel.spans.getFinishedSpans()).toEqual([]);
  expect(pointsOf((await otel.metrics()).get('db.client.operation.duration'))).toEqual([]);
  instrumentation.enable();
  await cache.get('inst:on');
  expect(otel.spans.getFinishedSpans().map((span) => span.name)).toEqual(['get']);
  expect(observations((await otel.metrics()).get('db.client.operation.duration'))).toBe(1);
});

it('setTracerProvider while enabled sends later spans to the new provider and leaves the metric counts alone', async () => {
  const first = sdk();
  const second = sdk();
  const instrumentation = registered(first);
  const cache = client('text');
  await cache.get('inst:a');
  instrumentation.setTracerProvider(second.tracerProvider);
  await cache.get('inst:b');
  expect(first.spans.getFinishedSpans()).toHaveLength(1);
  expect(second.spans.getFinishedSpans()).toHaveLength(1);
  const misses = (await first.metrics()).get('dalli.client.misses');
  expect(pointsOf(misses).map((point) => point.value)).toEqual([2]);
});

it('reports a server two clients share once in the gauges, with both connections counted', async () => {
  const otel = sdk();
  registered(otel);
  await client('binary').get('inst:x');
  await client('meta').get('inst:y');
  const metrics = await otel.metrics();
  const port = Number(memcached.address.split(':')[1]);
  expect(pointsOf(metrics.get('dalli.client.server.up')).map((point) => [point.attributes, point.value])).toEqual([
    [{ 'db.system.name': 'memcached', 'server.address': '127.0.0.1', 'server.port': port }, 1],
  ]);
  expect(pointsOf(metrics.get('db.client.connection.count')).map((point) => point.value)).toEqual([2]);
});

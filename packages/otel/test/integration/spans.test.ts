import { Client, type ProtocolName } from '@dalli/core';
import { type FaultProxy, freePort, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Instrumentation, type InstrumentOptions, instrument } from '../../src/index.ts';
import { OtelSdk } from '../support/otel-sdk.ts';

const DIALECTS: readonly ProtocolName[] = ['binary', 'meta', 'text'];

describe.each(DIALECTS)('%s protocol: spans', (protocol) => {
  let memcached: MemcachedProcess;
  let sdk: OtelSdk;
  const clients: Client[] = [];
  const stops: Instrumentation[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
    sdk = new OtelSdk();
  });
  afterAll(async () => {
    await sdk.shutdown();
    await memcached.stop();
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop.stop();
    await Promise.all(clients.splice(0).map((client) => client.close()));
    for (const cleanup of cleanups.splice(0)) await cleanup();
    sdk.spans.reset();
  });

  function traced(servers: string | string[] = memcached.address, options: InstrumentOptions = {}, client = {}) {
    const made = new Client(servers, { protocol, ...client });
    clients.push(made);
    stops.push(instrument(made, { tracerProvider: sdk.tracerProvider, metrics: false, ...options }));
    return made;
  }
  const port = (): number => Number(memcached.address.split(':')[1]);
  const server = () => ({ 'server.address': '127.0.0.1', 'server.port': port() });
  const base = (operation: string) => ({
    'db.system.name': 'memcached',
    'db.operation.name': operation,
    'dalli.protocol': protocol,
  });
  const finished = (): ReadableSpan[] => sdk.spans.getFinishedSpans();

  it('gives set, a hit and a miss one CLIENT span each, children of the caller span, with golden attributes', async () => {
    const cache = traced();
    const tracer = sdk.tracerProvider.getTracer('app');
    await tracer.startActiveSpan('GET /profile', async (request) => {
      await cache.set('otel:hit', 'v');
      await new Promise((resolve) => setTimeout(resolve, 1));
      await cache.get('otel:hit');
      await cache.get('otel:miss');
      request.end();
    });
    const [set, hit, miss, request] = finished();
    expect(request?.name).toBe('GET /profile');
    for (const span of [set, hit, miss]) {
      expect(span?.kind).toBe(SpanKind.CLIENT);
      expect(span?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
      expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    }
    expect([set?.name, hit?.name, miss?.name]).toEqual(['set', 'get', 'get']);
    expect(set?.attributes).toEqual({ ...base('set'), ...server() });
    expect(hit?.attributes).toEqual({ ...base('get'), ...server(), 'dalli.hit': true });
    expect(miss?.attributes).toEqual({ ...base('get'), ...server(), 'dalli.hit': false });
  });

  it('gives a multi-key read db.operation.batch.size and its hits and misses', async () => {
    const cache = traced();
    await cache.set('otel:m1', 1);
    sdk.spans.reset();
    await cache.getMulti(['otel:m1', 'otel:m2', 'otel:m3']);
    expect(finished()[0]?.attributes).toEqual({
      ...base('getMulti'),
      ...server(),
      'db.operation.batch.size': 3,
      'dalli.hits': 1,
      'dalli.misses': 2,
    });
  });

  it('marks a failed operation ERROR with error.type, sending nothing for bad input', async () => {
    const cache = traced();
    await expect(cache.get('bad key')).rejects.toThrow();
    const [span] = finished();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toEqual({ ...base('get'), 'error.type': 'ERR_DALLI_INVALID_KEY' });
  });

  it('marks a timeout with error.type ERR_DALLI_TIMEOUT and the server it waited on', async () => {
    const proxy: FaultProxy = await startFaultProxy(memcached);
    cleanups.push(() => proxy.close());
    const cache = traced(proxy.address, {}, { socketTimeout: 0.1, socketMaxFailures: 1 });
    proxy.set({ blackhole: true });
    await expect(cache.get('otel:slow')).rejects.toThrow();
    const [span] = finished();
    expect(span?.attributes).toMatchObject({
      'error.type': 'ERR_DALLI_TIMEOUT',
      'server.address': '127.0.0.1',
      'server.port': Number(proxy.address.split(':')[1]),
    });
  });

  it('records a failover as an event, the retry count, and the server that answered', async () => {
    const second = await startMemcached();
    cleanups.push(() => second.stop());
    const cache = traced([memcached.address, second.address], {}, { socketMaxFailures: 1, socketFailureDelay: 0.01 });
    const key = Array.from({ length: 50 }, (_, i) => `otel:fo:${i}`).find(
      (k) => cache.locate(k).server === second.address,
    );
    second.signal('SIGKILL');
    await expect.poll(() => second.running).toBe(false);
    await cache.get(key as string);
    const [span] = finished();
    expect(span?.attributes).toEqual({ ...base('get'), ...server(), 'dalli.hit': false, 'dalli.retries': 1 });
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      ['dalli.failover', { 'dalli.failover.from': second.address, 'dalli.failover.to': memcached.address }],
    ]);
  });

  it('puts fetch stampede decisions on the caller span as dalli.fetch events', async () => {
    const cache = traced();
    const tracer = sdk.tracerProvider.getTracer('app');
    const lock = protocol === 'meta' ? ({ lock: 'lease' } as const) : ({ lock: true } as const);
    const [a, b] = [cache.fetch('otel:fetch', async () => 'v', lock), cache.fetch('otel:fetch', async () => 'w', lock)];
    await tracer.startActiveSpan('job', async (job) => {
      await cache.fetch('otel:fetch2', async () => 'v', lock);
      job.end();
    });
    await Promise.all([a, b]);
    const job = finished().find((span) => span.name === 'job');
    const won = protocol === 'meta' ? 'leaseWon' : 'lockWon';
    expect(job?.events.map((event) => event.attributes?.['dalli.fetch.event'])).toEqual([won]);
  });

  it("puts the routes' events on the caller span as dalli.route events: a write failing over to the gutter", async () => {
    const nobody = `127.0.0.1:${await freePort()}`;
    const cache = traced(
      nobody,
      {},
      {
        socketMaxFailures: 1,
        pools: { gutter: { servers: memcached.address } },
        routes: { default: { route: 'failover', children: ['main', 'gutter'] } },
      },
    );
    const tracer = sdk.tracerProvider.getTracer('app');
    await tracer.startActiveSpan('POST /profile', async (request) => {
      await cache.set('otel:routed', 'v');
      request.end();
    });
    const request = finished().find((span) => span.name === 'POST /profile');
    const routeEvents = request?.events.filter((event) => event.name === 'dalli.route');
    expect(routeEvents?.map((event) => event.attributes)).toEqual([
      { 'dalli.route.event': 'failover', 'dalli.route.from': 'main', 'dalli.route.to': 'gutter' },
      { 'dalli.route.event': 'journal', 'dalli.route.from': nobody },
    ]);
  });

  it.each([
    ['off', undefined],
    ['raw', 'get user:1234:profile:9f86d081884c7d659a2feaa0c55ad015'],
    ['obfuscated', 'get user:?:profile:?'],
  ] as const)('queryText %s gives db.query.text %s', async (queryText, expected) => {
    const cache = traced(memcached.address, { queryText });
    await cache.get('user:1234:profile:9f86d081884c7d659a2feaa0c55ad015');
    expect(finished()[0]?.attributes['db.query.text']).toBe(expected);
  });

  it('stops: no span after stop(), and none for another client', async () => {
    const cache = traced();
    const other = new Client(memcached.address, { protocol });
    clients.push(other);
    await other.get('otel:other');
    await cache.get('otel:before');
    expect(finished().map((span) => span.attributes['dalli.hit'])).toEqual([false]);
    for (const instrumentation of stops.splice(0)) instrumentation.stop();
    await cache.get('otel:after');
    expect(finished()).toHaveLength(1);
  });
});

import { Client, type ProtocolName, withLocalCache } from '@dalli/core';
import { type FaultProxy, freePort, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Instrumentation, instrument } from '../../src/index.ts';
import { OtelSdk, observations, pointsOf, total } from '../support/otel-sdk.ts';

const DIALECTS: readonly ProtocolName[] = ['binary', 'meta', 'text'];

describe.each(DIALECTS)('%s protocol: metrics', (protocol) => {
  let memcached: MemcachedProcess;
  let sdk: OtelSdk;
  const clients: Client[] = [];
  const stops: Instrumentation[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(() => memcached.stop());
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop.stop();
    await Promise.all(clients.splice(0).map((client) => client.close()));
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await sdk.shutdown();
  });

  function metered(servers: string | string[] = memcached.address, client = {}): Client {
    sdk = new OtelSdk();
    const made = new Client(servers, { protocol, ...client });
    clients.push(made);
    stops.push(instrument(made, { meterProvider: sdk.meterProvider, spans: false }));
    return made;
  }
  const server = () => ({ 'server.address': '127.0.0.1', 'server.port': Number(memcached.address.split(':')[1]) });

  it('emits the golden metric set, with the conventions duration buckets and per-outcome points', async () => {
    const cache = metered();
    await cache.set('otel:k', 'v');
    await cache.get('otel:k');
    await cache.get('otel:none');
    await cache.getMulti(['otel:k', 'otel:none', 'otel:none2']);
    const metrics = await sdk.metrics();
    expect([...metrics.keys()].sort()).toEqual([
      'dalli.client.hits',
      'dalli.client.misses',
      'dalli.client.requests.in_flight',
      'dalli.client.server.up',
      'db.client.connection.count',
      'db.client.operation.duration',
    ]);
    const duration = metrics.get('db.client.operation.duration');
    expect(duration?.descriptor.unit).toBe('s');
    const [hitPoint] = pointsOf(duration, { 'dalli.outcome': 'hit' });
    expect(hitPoint?.attributes).toEqual({
      'db.system.name': 'memcached',
      'db.operation.name': 'get',
      ...server(),
      'dalli.outcome': 'hit',
    });
    expect((hitPoint?.value as Histogram | undefined)?.buckets.boundaries).toEqual([
      0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10,
    ]);
    expect(observations(duration, { 'db.operation.name': 'get', 'dalli.outcome': 'miss' })).toBe(1);
    expect(observations(duration, { 'db.operation.name': 'set', 'dalli.outcome': 'ok' })).toBe(1);
    expect(observations(duration, { 'db.operation.name': 'getMulti' })).toBe(1);
    expect(total(metrics.get('dalli.client.hits'))).toBe(2);
    expect(total(metrics.get('dalli.client.misses'))).toBe(3);
    expect(total(metrics.get('dalli.client.server.up'), server())).toBe(1);
    expect(
      total(metrics.get('db.client.connection.count'), { 'db.client.connection.pool.name': memcached.address }),
    ).toBe(1);
    for (const metric of metrics.values())
      for (const point of metric.dataPoints) expect(Object.values(point.attributes)).not.toContain('otel:k');
  });

  it('counts errors by error.type, and timeouts', async () => {
    const proxy: FaultProxy = await startFaultProxy(memcached);
    cleanups.push(() => proxy.close());
    const cache = metered(proxy.address, { socketTimeout: 0.1, socketMaxFailures: 1 });
    await cache.get('bad key').catch(() => undefined);
    proxy.set({ blackhole: true });
    await cache.get('otel:slow').catch(() => undefined);
    const metrics = await sdk.metrics();
    const duration = metrics.get('db.client.operation.duration');
    expect(observations(duration, { 'dalli.outcome': 'error', 'error.type': 'ERR_DALLI_INVALID_KEY' })).toBe(1);
    expect(observations(duration, { 'dalli.outcome': 'error', 'error.type': 'ERR_DALLI_TIMEOUT' })).toBe(1);
    expect(total(metrics.get('dalli.client.timeouts'), { 'db.operation.name': 'get' })).toBe(1);
    expect(total(metrics.get('dalli.client.server.down_events'))).toBe(1);
    expect(total(metrics.get('dalli.client.server.up'))).toBe(0);
  });

  it('counts failovers and retries, on the server that answered', async () => {
    const second = await startMemcached();
    cleanups.push(() => second.stop());
    const cache = metered([memcached.address, second.address], { socketMaxFailures: 1, socketFailureDelay: 0.01 });
    const key = Array.from({ length: 50 }, (_, i) => `otel:fo:${i}`).find(
      (k) => cache.locate(k).server === second.address,
    );
    second.signal('SIGKILL');
    await expect.poll(() => second.running).toBe(false);
    await cache.get(key as string);
    const metrics = await sdk.metrics();
    expect(total(metrics.get('dalli.client.failovers'), server())).toBe(1);
    expect(total(metrics.get('dalli.client.retries'), server())).toBe(1);
    const up = metrics.get('dalli.client.server.up');
    expect(total(up, server())).toBe(1);
    expect(total(up, { 'server.port': Number(second.address.split(':')[1]) })).toBe(0);
  });

  it('counts fetch stampede decisions by event', async () => {
    const cache = metered();
    const lock = protocol === 'meta' ? ({ lock: 'lease' } as const) : ({ lock: true } as const);
    await Promise.all([cache.fetch('otel:f', async () => 'v', lock), cache.fetch('otel:f', async () => 'w', lock)]);
    const events = (await sdk.metrics()).get('dalli.client.fetch.events');
    expect(total(events, { 'dalli.fetch.event': protocol === 'meta' ? 'leaseWon' : 'lockWon' })).toBe(1);
    expect(total(events, { 'dalli.fetch.event': 'coalesced' })).toBe(1);
  });

  it('counts what the routes did, by event', async () => {
    const nobody = `127.0.0.1:${await freePort()}`;
    const cache = metered(nobody, {
      socketMaxFailures: 1,
      pools: { gutter: { servers: memcached.address } },
      routes: { default: { route: 'failover', children: ['main', 'gutter'] } },
    });
    await cache.set('otel:routed', 'v');
    expect(await cache.get('otel:routed')).toBe('v');
    const events = (await sdk.metrics()).get('dalli.client.route.events');
    // The set fails over and is journaled; the get skips its dead server for the journaled key.
    expect(total(events, { 'dalli.route.event': 'failover' })).toBe(1);
    expect(total(events, { 'dalli.route.event': 'journal' })).toBe(1);
  });

  it('counts reads the local cache answered', async () => {
    const cache = metered();
    await withLocalCache(async () => {
      await cache.get('otel:local');
      await cache.get('otel:local');
      await cache.get('otel:local');
    });
    const metrics = await sdk.metrics();
    expect(total(metrics.get('dalli.client.local_cache.hits'))).toBe(2);
    expect(observations(metrics.get('db.client.operation.duration'), { 'db.operation.name': 'get' })).toBe(1);
  });

  it("reports the near cache's figures from nearCacheStats(): hits, misses, revalidations, size", async () => {
    const cache = metered(memcached.address, { nearCache: { maxBytes: 1_000_000, ttl: 60 } });
    await cache.set('otel:near', 'v');
    await cache.get('otel:near'); // a miss, then held
    await cache.get('otel:near');
    await cache.get('otel:near');
    const stats = cache.nearCacheStats();
    const metrics = await sdk.metrics();
    expect(stats?.hits).toBeGreaterThan(0);
    expect(total(metrics.get('dalli.client.near_cache.hits'))).toBe(stats?.hits);
    expect(total(metrics.get('dalli.client.near_cache.misses'))).toBe(stats?.misses);
    expect(
      total(metrics.get('dalli.client.near_cache.revalidations'), { 'dalli.near_cache.revalidation': 'unchanged' }),
    ).toBe(stats?.unchanged);
    expect(total(metrics.get('dalli.client.near_cache.entries'))).toBe(1);
    expect(total(metrics.get('dalli.client.near_cache.size'))).toBe(stats?.bytes);
  });
});

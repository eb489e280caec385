import 'reflect-metadata';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.ts';
import { ProductsController } from '../src/products.controller.ts';

let memcached: MemcachedProcess;
let app: INestApplication;
let cache: Cache;

beforeAll(async () => {
  memcached = await startMemcached();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forServers([memcached.address])] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  cache = app.get<Cache>(CACHE_MANAGER);
});
afterAll(async () => {
  await app?.close();
  // NestJS 10 does not close cache stores on shutdown: the app closes the client itself.
  await (cache?.store as { disconnect?: () => Promise<void> } | undefined)?.disconnect?.();
  await memcached.stop();
});

describe('NestJS 10, @nestjs/cache-manager 2.3.0, cache-manager 5: CacheModule.register({ store: dalliStore })', () => {
  it('builds the memcached store, not the in-memory default', () => {
    expect(cache.store).toMatchObject({ name: 'dalli' });
  });

  it('serves the second GET from memcached through CacheInterceptor', async () => {
    const first = await request(app.getHttpServer()).get('/products?page=2').expect(200);
    expect(first.body).toEqual({ page: '2', computed: 1 });
    await expect.poll(() => cache.get('/products?page=2')).toEqual({ page: '2', computed: 1 });
    const second = await request(app.getHttpServer()).get('/products?page=2').expect(200);
    expect(second.body).toEqual({ page: '2', computed: 1 });
    expect(app.get(ProductsController).computed.products).toBe(1);
  });

  it('CACHE_MANAGER get, set, del and ttl (milliseconds)', async () => {
    await cache.set('manual', { by: 'hand' }, 60_000);
    expect(await cache.get('manual')).toEqual({ by: 'hand' });
    const left = await cache.store.ttl('manual');
    expect(left).toBeGreaterThan(55_000);
    expect(left).toBeLessThanOrEqual(60_000);
    await cache.del('manual');
    expect(await cache.get('manual')).toBeUndefined();
  });

  it('CACHE_MANAGER wrap computes once', async () => {
    const bodies = await Promise.all([1, 2, 3].map(() => request(app.getHttpServer()).get('/report').expect(200)));
    expect(bodies.map((response) => response.body)).toEqual([{ total: 42 }, { total: 42 }, { total: 42 }]);
    expect(app.get(ProductsController).computed.report).toBe(1);
  });

  it('keeps entries in memcached, where another store sees them', async () => {
    await cache.set('shared', 'across processes');
    const { dalliStore } = await import('@dalli/cache-manager');
    const other = dalliStore({ servers: memcached.address, namespace: 'nest10-example' });
    expect(await other.get('shared')).toBe('across processes');
    await other.disconnect();
  });
});

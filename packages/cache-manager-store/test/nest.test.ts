import 'reflect-metadata';
import type { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { CACHE_MANAGER, CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import { Controller, Get, type INestApplication, Inject, Module, Query, UseInterceptors } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dalliStore } from '../src/index.ts';

let memcached: MemcachedProcess;
let store: ReturnType<typeof dalliStore>;
let app: INestApplication;
let computed = 0;

@Controller()
@UseInterceptors(CacheInterceptor)
class ProductsController {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  @Get('products')
  list(@Query('page') page = '1'): { page: string; computed: number } {
    computed++;
    return { page, computed };
  }

  @Get('manual')
  async manual(): Promise<{ before: unknown; after: unknown }> {
    const before = await this.cache.get('manual-key');
    await this.cache.set('manual-key', { set: 'by hand' }, 60_000);
    return { before: before ?? null, after: await this.cache.get('manual-key') };
  }
}

beforeAll(async () => {
  memcached = await startMemcached();
  store = dalliStore({ servers: memcached.address, namespace: 'nest' });

  @Module({
    imports: [CacheModule.register({ stores: [store], ttl: 60_000 })],
    controllers: [ProductsController],
  })
  class AppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
});
afterAll(async () => {
  await app?.close();
  await memcached.stop();
});

@Controller('e2e')
@UseInterceptors(CacheInterceptor)
class E2eController {
  @Get('products')
  list(@Query('page') page = '1'): { page: string } {
    return { page };
  }
}

/** The e2e-test pattern: one module, declared once, and a fresh app per test, each closed after it. */
const e2eStore = () => dalliStore({ servers: memcached.address, namespace: 'e2e' });
let e2eModuleStore: ReturnType<typeof dalliStore> | undefined;

async function e2eApp(): Promise<INestApplication> {
  e2eModuleStore ??= e2eStore();
  @Module({
    imports: [CacheModule.register({ stores: [e2eModuleStore], ttl: 60_000 })],
    controllers: [E2eController],
  })
  class E2eModule {}
  const moduleRef = await Test.createTestingModule({ imports: [E2eModule] }).compile();
  const made = moduleRef.createNestApplication({ logger: false });
  await made.init();
  return made;
}

describe('NestJS 12 with CacheModule.register({ stores: [dalliStore(...)] })', () => {
  it('keeps caching in a second app built from the same module after the first one closed', async () => {
    for (const round of [1, 2, 3]) {
      const made = await e2eApp();
      const cache = made.get<Cache>(CACHE_MANAGER);
      await cache.set('round', round);
      expect(await cache.get('round')).toBe(round);
      await request(made.getHttpServer()).get(`/e2e/products?page=${round}`).expect(200);
      await expect.poll(() => cache.get(`/e2e/products?page=${round}`)).toEqual({ page: String(round) });
      await made.close();
    }
  });

  it('injects the cache for manual get and set', async () => {
    const first = await request(app.getHttpServer()).get('/manual').expect(200);
    expect(first.body).toEqual({ before: null, after: { set: 'by hand' } });
    const cache = app.get<Cache>(CACHE_MANAGER);
    expect(await cache.get('manual-key')).toEqual({ set: 'by hand' });
  });

  it('serves the second GET from memcached through CacheInterceptor', async () => {
    const first = await request(app.getHttpServer()).get('/products?page=2').expect(200);
    expect(first.body).toEqual({ page: '2', computed: 1 });
    // The interceptor stores the response after replying: wait until memcached holds it.
    const cache = app.get<Cache>(CACHE_MANAGER);
    await expect.poll(() => cache.get('/products?page=2')).toEqual({ page: '2', computed: 1 });
    const second = await request(app.getHttpServer()).get('/products?page=2').expect(200);
    expect(second.body).toEqual({ page: '2', computed: 1 });
    expect(computed).toBe(1);
    // It is really in memcached: another client sees it through its own store.
    const other = dalliStore({ servers: memcached.address, namespace: 'nest' });
    expect(await other.get('/products?page=2')).toEqual({ page: '2', computed: 1 });
    await other.disconnect();
  });

  it('disconnects the store when the application shuts down', async () => {
    const shutdownStore = dalliStore({ servers: memcached.address, namespace: 'shutdown' });
    @Module({ imports: [CacheModule.register({ stores: [shutdownStore] })] })
    class ShutdownModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ShutdownModule] }).compile();
    const shortLived = moduleRef.createNestApplication({ logger: false });
    await shortLived.init();
    const cache = shortLived.get<Cache>(CACHE_MANAGER);
    await cache.set('k', 'v');
    const client = (shutdownStore.store as { client: Client }).client;
    await shortLived.close();
    await expect(client.get('k')).rejects.toMatchObject({ code: 'ERR_DALLI_CLOSED' });
  });
});

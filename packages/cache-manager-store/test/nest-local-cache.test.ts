import 'reflect-metadata';
import { Client, localCacheMiddleware } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import {
  Controller,
  Get,
  type INestApplication,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';

// @dalli/core's local-cache middleware in a NestJS app (applied with consumer.apply): one
// scope per request, so repeated reads within a request ask memcached once.
let memcached: MemcachedProcess;
let client: Client;
let other: Client;
let app: INestApplication;

@Controller()
class PageController {
  @Get('page')
  async page(): Promise<{ first: unknown; second: unknown }> {
    const first = await client.get('nest:local');
    await other.set('nest:local', 'changed mid-request');
    return { first, second: await client.get('nest:local') };
  }
}

beforeAll(async () => {
  memcached = await startMemcached();
  client = new Client(memcached.address, { protocol: 'meta' });
  other = new Client(memcached.address, { protocol: 'meta' });

  @Module({ controllers: [PageController] })
  class AppModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(localCacheMiddleware()).forRoutes('*');
    }
  }

  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
});
afterAll(async () => {
  await app?.close();
  await Promise.all([client?.close(), other?.close()]);
  await memcached.stop();
});

it('NestJS: localCacheMiddleware gives each request its own scope', async () => {
  await client.set('nest:local', 'v1');
  const first = await request(app.getHttpServer()).get('/page').expect(200);
  expect(first.body).toEqual({ first: 'v1', second: 'v1' });
  const second = await request(app.getHttpServer()).get('/page').expect(200);
  expect(second.body).toEqual({ first: 'changed mid-request', second: 'changed mid-request' });
});

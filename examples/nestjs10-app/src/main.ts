// Runs the NestJS 10 example against local memcached (or MEMCACHE_SERVERS), walks through it with
// a few HTTP requests, and exits.
//   node dist/main.mjs
import 'reflect-metadata';
import { localServers } from '@dalli/test-utils';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { NestFactory } from '@nestjs/core';
import type { Cache } from 'cache-manager';
import { AppModule } from './app.module.ts';

const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})`);
const app = await NestFactory.create(AppModule.forServers(memcached.servers), { logger: ['error', 'warn'] });
await app.listen(0, '127.0.0.1');
const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
const cache = app.get<Cache>(CACHE_MANAGER);

async function show(path: string): Promise<void> {
  const response = await fetch(`${base}${path}`);
  console.log(`  GET ${path} -> ${response.status} ${await response.text()}`);
}

try {
  console.log(
    `CacheModule.register({ store: dalliStore }) built the "${(cache.store as unknown as { name: string }).name}" store`,
  );
  console.log('\nCacheInterceptor caches GET /products in memcached (computed stays 1):');
  await show('/products?page=1');
  await new Promise((resolve) => setTimeout(resolve, 50)); // the interceptor stores after replying
  await show('/products?page=1');
  console.log('\nCACHE_MANAGER.wrap computes the report once:');
  await show('/report');
  await show('/report');
  console.log('\ndone');
} finally {
  await app.close();
  await (cache.store as unknown as { disconnect(): Promise<void> }).disconnect(); // NestJS 10 leaves stores open
  await memcached.stop();
}

// Runs the NestJS example against local memcached (or MEMCACHE_SERVERS), walks through it with a
// few HTTP requests, and exits. With --serve it keeps serving for a browser until Ctrl-C.
//   node dist/main.mjs [--serve] [--port 3000]
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { localServers } from '@dalli/test-utils';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.ts';

const { values: args } = parseArgs({
  options: { serve: { type: 'boolean', default: false }, port: { type: 'string' } },
});

const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})`);
const app = await NestFactory.create(AppModule.forServers(memcached.servers), { logger: ['error', 'warn'] });
await app.listen(Number(args.port ?? (args.serve ? 3000 : 0)), '127.0.0.1');
const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
console.log(`listening on ${base}`);

async function shutdown(): Promise<void> {
  await app.close(); // closes the store's memcached connections too
  await memcached.stop();
}

async function show(path: string): Promise<void> {
  const response = await fetch(`${base}${path}`);
  console.log(`  GET ${path} -> ${response.status} ${await response.text()}`);
}

if (args.serve) {
  console.log('serving until Ctrl-C: try /products/1 and /hits');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void shutdown().then(() => process.exit(0)));
  }
} else {
  try {
    console.log('\nCacheInterceptor caches GET /products/:id in memcached (note the same servedAt):');
    await show('/products/1');
    await show('/products/1');
    await show('/products/9');
    console.log('\nthe cache by hand (CACHE_MANAGER): a counter in memcached; lookups counts database reads');
    await show('/hits');
    await show('/hits');
    console.log('\ndone');
  } finally {
    await shutdown();
  }
}

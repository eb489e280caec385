import { itemTtl, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIncrementalCacheHandler, createUseCacheHandler } from '../../src/index.ts';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await memcached.stop();
});

const entry = () => ({
  value: new Response('v').body as ReadableStream<Uint8Array>,
  tags: [],
  stale: 300,
  timestamp: Date.now(),
  expire: 60,
  revalidate: 30,
});

it('opens a client of its own on servers with clientOptions, under keyPrefix, and uses it across instances', async () => {
  const options = {
    servers: memcached.address,
    clientOptions: { namespace: 'app1', protocol: 'text' as const },
    keyPrefix: 'shop',
  };
  const useCache = createUseCacheHandler(options);
  await useCache.set('k', Promise.resolve(entry()));
  expect(await itemTtl(memcached.address, 'app1:shop:entry:use-cache:k')).toBeGreaterThan(0);
  const Handler = createIncrementalCacheHandler(options);
  await new Handler({}).set('/p', null, {});
  expect(await new Handler({}).get('/p', { kind: 'APP_PAGE' })).toMatchObject({ value: null });
  // Without a BUILD_ID beside serverDistDir (next dev), entries live under no-build-id.
  expect(await itemTtl(memcached.address, 'app1:shop:entry:no-build-id:/p')).toBe(-1);
});

it("uses 'next' as the key prefix by default", async () => {
  const useCache = createUseCacheHandler({ servers: memcached.address });
  await useCache.set('k', Promise.resolve(entry()));
  expect(await itemTtl(memcached.address, 'next:entry:use-cache:k')).toBeGreaterThan(0);
});

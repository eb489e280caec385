import { createRequire } from 'node:module';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { createCache } from 'cache-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DalliStoreOptions, dalliStore } from '../src/index.ts';

// cache-manager 5.7.6, as the NestJS 10 example installs it (this package's own devDependency is 7).
const cacheManager5 = createRequire(new URL('../../../examples/nestjs10-app/package.json', import.meta.url))(
  'cache-manager',
) as {
  caching: (
    factory: typeof dalliStore,
    options?: DalliStoreOptions,
  ) => Promise<{
    wrap<T>(key: string, compute: () => Promise<T>, ttl?: number): Promise<T>;
    on(event: 'error', handler: (event: { operation: string; error: unknown }) => void): void;
    store: { disconnect(): Promise<void> };
  }>;
};

// memcached frozen (SIGSTOP) while wrap() runs: its read times out, the write finds the server
// marked down. Short timeouts keep the window small.
let memcached: MemcachedProcess;
const stores: { disconnect(): Promise<void> }[] = [];
const clientOptions = { socketTimeout: 0.2, socketMaxFailures: 1, downRetryDelay: 60 };

beforeAll(async () => {
  memcached = await startMemcached();
});
afterEach(() => memcached.thaw());
afterAll(async () => {
  await Promise.all(stores.map((store) => store.disconnect()));
  await memcached.stop();
});

describe('wrap() while memcached is down serves the value it computed', () => {
  it('cache-manager 7: resolves with the computed value and reports the failed write on the store’s error event', async () => {
    const store = dalliStore({ servers: memcached.address, namespace: 'down7', clientOptions });
    stores.push(store);
    const errors: unknown[] = [];
    store.on('error', (error: unknown) => errors.push(error));
    const cache = createCache({ stores: [store] });
    let computed = 0;
    await memcached.freeze();
    await expect(cache.wrap('report', async () => ({ total: ++computed }), 60_000)).resolves.toEqual({ total: 1 });
    expect(computed).toBe(1);
    expect(errors).toContainEqual(
      expect.objectContaining({ code: expect.stringMatching(/^ERR_DALLI_(TIMEOUT|NO_SERVER)$/) }),
    );
    // An explicit write still rejects: only wrap()'s write, after its failed read, is spared.
    await expect(cache.set('plain', 1)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
  });

  it('cache-manager 5: resolves with the computed value and reports the failed write on cache.on("error")', async () => {
    const cache = await cacheManager5.caching(dalliStore, {
      servers: memcached.address,
      namespace: 'down5',
      clientOptions,
    });
    stores.push(cache.store);
    const failed: string[] = [];
    cache.on('error', ({ operation }) => failed.push(operation));
    await memcached.freeze();
    await expect(cache.wrap('report', async () => ({ total: 5 }), 60_000)).resolves.toEqual({ total: 5 });
    expect(failed).toEqual(['get', 'set']);
  });
});

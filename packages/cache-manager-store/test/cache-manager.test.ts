import { Client } from '@dalli/core';
import { itemTtlAfter, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { createCache } from 'cache-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dalliStore } from '../src/index.ts';

let memcached: MemcachedProcess;
const stores: ReturnType<typeof dalliStore>[] = [];

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.disconnect()));
  await memcached.stop();
});

function cache(options: Parameters<typeof dalliStore>[0] = {}, ttl?: number) {
  const store = dalliStore({ servers: memcached.address, ...options });
  stores.push(store);
  return createCache({ stores: [store], ttl });
}

describe('dalliStore options', () => {
  it('refuses an unknown option instead of ignoring it', () => {
    expect(() => dalliStore({ servers: memcached.address, hosts: ['x'] } as never)).toThrow(
      /dalliStore: unknown option "hosts"/,
    );
  });

  it.each([-5, 0, Number.NaN, '60s'])('refuses the ttl %s, in milliseconds (the unit of the option)', (ttl) => {
    expect(() => dalliStore({ servers: memcached.address, ttl: ttl as number })).toThrow(
      /option "ttl" must be a positive number of milliseconds/,
    );
  });
});

describe('cache-manager 7 with dalliStore', () => {
  it('gets, sets and deletes values of every JSON kind', async () => {
    const cm = cache({ namespace: 'basic' });
    for (const [key, value] of [
      ['object', { a: [1, 'two'] }],
      ['number', 0],
      ['text', 'hello'],
      ['null', null],
    ] as const) {
      await cm.set(key, value);
      expect(await cm.get(key)).toEqual(value);
    }
    expect(await cm.get('missing')).toBeUndefined();
    expect(await cm.del('text')).toBe(true);
    expect(await cm.get('text')).toBeUndefined();
  });

  it('mset and mget use batches and keep the order of keys', async () => {
    const cm = cache({ namespace: 'multi' });
    await cm.mset([
      { key: 'a', value: 1 },
      { key: 'b', value: 2, ttl: 60_000 },
    ]);
    expect(await cm.mget(['a', 'missing', 'b'])).toEqual([1, undefined, 2]);
  });

  it('wrap calls the function once for repeated and concurrent calls', async () => {
    const cm = cache({ namespace: 'wrap' });
    let calls = 0;
    const compute = async (): Promise<{ n: number }> => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { n: calls };
    };
    const concurrent = await Promise.all([cm.wrap('w', compute, 60_000), cm.wrap('w', compute, 60_000)]);
    expect(concurrent).toEqual([{ n: 1 }, { n: 1 }]);
    expect(await cm.wrap('w', compute, 60_000)).toEqual({ n: 1 });
    // A second client instance (another process) sees the cached value too.
    expect(await cache({ namespace: 'wrap' }).wrap('w', compute, 60_000)).toEqual({ n: 1 });
    expect(calls).toBe(1);
  });

  it('ttl() reports the expiry, and memcached holds the item at least that long (rounded up, plus one tick of its clock)', async () => {
    const cm = cache({ namespace: 'ttl' });
    const before = Date.now();
    await cm.set('t', 'v', 5_500);
    const expires = await cm.ttl('t');
    expect(expires).toBeGreaterThanOrEqual(before + 5_500);
    expect(expires).toBeLessThanOrEqual(Date.now() + 5_500);
    const client = new Client(memcached.address);
    const [wireKey] = await findKeys(client, 'ttl', ['t']);
    const left = await itemTtlAfter(
      memcached.address,
      () => wireKey as string,
      () => cm.set('t', 'v', 5_500),
    );
    expect(left).toBe(7);
    await client.close();
  });

  it('applies the cache default TTL', async () => {
    const cm = cache({ namespace: 'default-ttl' }, 1);
    await cm.set('short', 'v');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await cm.get('short')).toBeUndefined();
  });

  it('clear() drops only its namespace, without flushing the server', async () => {
    const mine = cache({ namespace: 'mine' });
    const theirs = cache({ namespace: 'theirs' });
    const raw = new Client(memcached.address);
    await mine.set('k', 'mine');
    await theirs.set('k', 'theirs');
    await raw.set('raw-key', 'raw');
    await mine.clear();
    expect(await mine.get('k')).toBeUndefined();
    expect(await theirs.get('k')).toBe('theirs');
    expect(await raw.get('raw-key')).toBe('raw');
    expect((await raw.stats())[memcached.address]?.cmd_flush).toBe('0');
    await raw.close();
  });

  it('rejects writes when memcached is unreachable, and reports failed reads as errors, not silently', async () => {
    const proxy = await startFaultProxy(memcached);
    const cm = cache({
      servers: proxy.address,
      namespace: 'down',
      clientOptions: { socketTimeout: 0.2, socketMaxFailures: 1 },
    });
    await cm.set('k', 'v');
    proxy.set({ blackhole: true });
    await expect(cm.set('k', 'w')).rejects.toMatchObject({
      code: expect.stringMatching(/^ERR_DALLI_(TIMEOUT|NO_SERVER)$/),
    });
    const events: unknown[] = [];
    cm.on('get', (event) => events.push(event));
    expect(await cm.get('k')).toBeUndefined();
    expect(events).toEqual([
      expect.objectContaining({ key: 'k', error: expect.objectContaining({ code: 'ERR_DALLI_NO_SERVER' }) }),
    ]);
    await proxy.close();
  });
});

/** The wire keys the store uses, read the way the store itself derives them. */
async function findKeys(client: Client, namespace: string, keys: string[]): Promise<string[]> {
  const { ClearableNamespace } = await import('@dalli/core');
  return new ClearableNamespace(client, namespace).keys(keys.map((key) => `${namespace}:${key}`));
}

import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { Keyv } from 'keyv6';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeyvDalli } from '../src/index.ts';

// Keyv 6.1.0 has no published conformance suite; these are its checks (basic, batch, ttl,
// namespace, disconnect, errors) in our own words, against a real memcached.
let memcached: MemcachedProcess;
const adapters: KeyvDalli[] = [];

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await Promise.all(adapters.map((adapter) => adapter.disconnect()));
  await memcached.stop();
});

function keyv(namespace = 'k6', options: Record<string, unknown> = {}): Keyv {
  const adapter = new KeyvDalli(memcached.address);
  adapters.push(adapter);
  return new Keyv({ store: adapter, namespace, ...options });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Keyv 6 with KeyvDalli', () => {
  let cache: Keyv;
  beforeEach(async () => {
    cache = keyv();
    await cache.clear();
  });

  it('is used directly, not through the bridge, and declares expiry support', () => {
    const adapter = new KeyvDalli(memcached.address);
    adapters.push(adapter);
    const direct = new Keyv({ store: adapter });
    expect(direct.store).toBe(adapter);
    expect(adapter.capabilities).toMatchObject({ compatible: true, store: 'keyvStorage', expires: true });
    expect(adapter.capabilities.methods.get).toEqual({ exists: true, methodType: 'async' });
  });

  it('sets, gets, checks and deletes', async () => {
    expect(await cache.set('foo', 'bar')).toBe(true);
    expect(await cache.get('foo')).toBe('bar');
    expect(await cache.get('missing')).toBeUndefined();
    expect(await cache.has('foo')).toBe(true);
    expect(await cache.has('missing')).toBe(false);
    expect(await cache.delete('foo')).toBe(true);
    expect(await cache.delete('foo')).toBe(false);
    expect(await cache.has('foo')).toBe(false);
  });

  it('round-trips values of every kind', async () => {
    const values: unknown[] = [{ a: { b: [1, null] } }, 0, 1.5, false, true, 'text', '"quoted"', "'single'", [1, 2]];
    for (const [i, value] of values.entries()) {
      await cache.set(`v${i}`, value);
      expect(await cache.get(`v${i}`)).toEqual(value);
    }
  });

  it('answers batch operations per key', async () => {
    expect(
      await cache.setMany([
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
      ]),
    ).toEqual([true, true]);
    expect(await cache.getMany(['a', 'zz', 'b'])).toEqual([1, undefined, 2]);
    expect(await cache.hasMany(['a', 'b', 'zz'])).toEqual([true, true, false]);
    expect(await cache.deleteMany(['a', 'zz'])).toEqual([true, false]);
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, 2]);
    expect(await cache.getMany([])).toEqual([]);
    expect(await cache.deleteMany([])).toEqual([]);
  });

  it('expires entries after their TTL', async () => {
    expect(await cache.set('t', 'v', 100)).toBe(true);
    expect(await cache.get('t')).toBe('v');
    await sleep(150);
    expect(await cache.get('t')).toBeUndefined();
    expect(await cache.has('t')).toBe(false);
  });

  it('expires only the short-lived entries of a setMany', async () => {
    await cache.setMany([
      { key: 'short', value: 1, ttl: 100 },
      { key: 'long', value: 2, ttl: 60_000 },
      { key: 'forever', value: 3 },
    ]);
    await sleep(150);
    expect(await cache.getMany(['short', 'long', 'forever'])).toEqual([undefined, 2, 3]);
  });

  it('never persists an entry whose expiry is already past', async () => {
    await cache.set('p', 'old');
    expect(await cache.setRaw('p', { value: 1, expires: Date.now() - 1_000 })).toBe(true);
    expect(await cache.get('p')).toBeUndefined();
    const adapter = new KeyvDalli(memcached.address);
    adapters.push(adapter);
    adapter.namespace = 'direct';
    await adapter.set('q', 'old');
    expect(await adapter.set('q', 'new', Date.now() - 1)).toBe(true);
    expect(await adapter.get('q')).toBeUndefined();
  });

  it('keeps namespaces apart, and clear() empties only its own', async () => {
    const a = keyv('ns-a');
    const b = keyv('ns-b');
    await a.set('same', 'from a');
    await b.set('same', 'from b');
    expect(await a.get('same')).toBe('from a');
    expect(await b.get('same')).toBe('from b');
    await a.clear();
    expect(await a.get('same')).toBeUndefined();
    expect(await b.get('same')).toBe('from b');
  });

  it('reads the namespace Keyv sets on every call', async () => {
    const store = keyv('first');
    await store.set('k', 'in first');
    store.namespace = 'second';
    expect(await store.get('k')).toBeUndefined();
    store.namespace = 'first';
    expect(await store.get('k')).toBe('in first');
  });

  it('clears everything without a namespace, still without flushing the server', async () => {
    const plain = new Keyv({ store: new KeyvDalli(memcached.address) });
    await plain.set('k', 'v');
    await plain.clear();
    expect(await plain.get('k')).toBeUndefined();
    expect(await cache.set('survivor', 1)).toBe(true);
    await plain.disconnect();
  });

  it('disconnect() closes the client it created; a later operation opens a new one', async () => {
    const adapter = new KeyvDalli(memcached.address);
    adapters.push(adapter);
    const store = new Keyv({ store: adapter });
    await store.set('k', 'v');
    const first = adapter.client;
    await store.disconnect();
    await expect(first.get('k')).rejects.toMatchObject({ code: 'ERR_DALLI_CLOSED' });
    expect(await store.get('k')).toBe('v');
    expect(adapter.client).not.toBe(first);
  });

  it('surfaces memcached failures: rejections without a listener, error events with one', async () => {
    const down = await startMemcached();
    const adapter = new KeyvDalli(down.address, { socketTimeout: 0.2, socketMaxFailures: 1 });
    adapters.push(adapter);
    const store = new Keyv({ store: adapter, namespace: 'down' });
    await store.set('k', 'v');
    await down.stop();
    await expect(store.get('k')).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
    const errors: unknown[] = [];
    store.on('error', (error) => errors.push(error));
    expect(await store.get('k')).toBeUndefined();
    expect(await store.set('k', 'w')).toBe(false);
    expect(errors).toHaveLength(2);
    expect(errors.every((error) => (error as { code?: string }).code?.startsWith('ERR_DALLI_'))).toBe(true);
  });
});

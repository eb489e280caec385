import { MemoryTransport } from '@boringnode/bus/transports/memory';
import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dalliDriver } from '../src/index.ts';

// Two app nodes, each a BentoCache with its own memory L1 over one memcached L2, as two processes
// of one deploy would be; with bentocache's bus off, then on (its in-process memory transport
// standing in for Redis pub/sub between the nodes).
let memcached: MemcachedProcess;
let client: Client;
const nodes: BentoCache<{ cache: ReturnType<typeof bentostore> }>[] = [];

beforeAll(async () => {
  memcached = await startMemcached();
  client = new Client(memcached.address, { protocol: 'meta' });
});
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.disconnect()));
});
afterAll(async () => {
  await client.close();
  await memcached.stop();
});

function node(prefix: string, bus: boolean): BentoCache<{ cache: ReturnType<typeof bentostore> }> {
  let store = bentostore()
    .useL1Layer(memoryDriver({ maxSize: '1mb' }))
    .useL2Layer(dalliDriver({ servers: client }));
  if (bus) store = store.useBus({ options: {}, factory: () => new MemoryTransport() });
  const bento = new BentoCache({ default: 'cache', prefix, stores: { cache: store } });
  nodes.push(bento);
  return bento;
}

/** Resolves when `bento`'s bus has received its next message from another node. */
function nextBusMessage(bento: BentoCache<{ cache: ReturnType<typeof bentostore> }>): Promise<void> {
  return new Promise((resolve) => bento.once('bus:message:received', () => resolve()));
}

describe('two nodes, memory L1 + memcached L2, bus off', () => {
  it('a value computed on one node is read from memcached on the other, without computing again', async () => {
    const [a, b] = [node('off-1', false), node('off-1', false)];
    let computed = 0;
    const factory = async () => {
      computed += 1;
      return { id: 42, name: 'Gala' };
    };
    expect(await a.getOrSet({ key: 'user:42', ttl: '1m', factory })).toEqual({ id: 42, name: 'Gala' });
    expect(await b.getOrSet({ key: 'user:42', ttl: '1m', factory })).toEqual({ id: 42, name: 'Gala' });
    expect(computed).toBe(1);
    expect(await client.stats().then((stats) => Number(Object.values(stats)[0]?.get_hits))).toBeGreaterThan(0);
  });

  it("without the bus, a node keeps its own L1 copy after another node's write (what the bus is for)", async () => {
    const [a, b] = [node('off-2', false), node('off-2', false)];
    await a.set({ key: 'plan', value: 'free', ttl: '1m' });
    expect(await b.get({ key: 'plan' })).toBe('free');
    await a.set({ key: 'plan', value: 'pro', ttl: '1m' });
    expect(await b.get({ key: 'plan' })).toBe('free');
    const fresh = node('off-2', false);
    expect(await fresh.get({ key: 'plan' })).toBe('pro');
  });
});

describe('two nodes, memory L1 + memcached L2, bus on', () => {
  it("a write, a delete and a clear on one node are seen by the other node's next read", async () => {
    const [a, b] = [node('on-1', true), node('on-1', true)];
    await a.set({ key: 'plan', value: 'free', ttl: '1m' });
    expect(await b.get({ key: 'plan' })).toBe('free');

    const setSeen = nextBusMessage(b);
    await a.set({ key: 'plan', value: 'pro', ttl: '1m' });
    await setSeen;
    expect(await b.get({ key: 'plan' })).toBe('pro');

    const deleteSeen = nextBusMessage(b);
    await a.delete({ key: 'plan' });
    await deleteSeen;
    expect(await b.get({ key: 'plan' })).toBeUndefined();

    await a.set({ key: 'other', value: 1, ttl: '1m' });
    expect(await b.get({ key: 'other' })).toBe(1);
    const clearSeen = nextBusMessage(b);
    await a.clear();
    await clearSeen;
    expect(await b.get({ key: 'other' })).toBeUndefined();
  });

  it('a namespace cleared on one node is gone on the other, and the rest of the cache is not', async () => {
    const [a, b] = [node('on-2', true), node('on-2', true)];
    await a.namespace('users').set({ key: '42', value: 'Gala', ttl: '1m' });
    await a.set({ key: 'settings', value: 'dark', ttl: '1m' });
    expect(await b.namespace('users').get({ key: '42' })).toBe('Gala');
    const clearSeen = nextBusMessage(b);
    await a.namespace('users').clear();
    await clearSeen;
    expect(await b.namespace('users').get({ key: '42' })).toBeUndefined();
    expect(await b.get({ key: 'settings' })).toBe('dark');
  });

  it('a tag invalidated on one node invalidates the tagged entries on the other, and only those', async () => {
    const [a, b] = [node('on-4', true), node('on-4', true)];
    await a.set({ key: 'post:1', value: 'hello', ttl: '1m', tags: ['posts'] });
    await a.set({ key: 'user:1', value: 'Gala', ttl: '1m', tags: ['users'] });
    expect(await b.get({ key: 'post:1' })).toBe('hello');
    const invalidated = nextBusMessage(b);
    await a.deleteByTag({ tags: ['posts'] });
    await invalidated;
    expect(await b.get({ key: 'post:1' })).toBeUndefined();
    expect(await b.get({ key: 'user:1' })).toBe('Gala');
    expect(await node('on-4', false).get({ key: 'post:1' })).toBeUndefined();
  });

  it('a grace period serves the last value from memcached while the factory fails', async () => {
    const [a, b] = [node('on-3', true), node('on-3', true)];
    await a.getOrSet({ key: 'rates', ttl: 1, grace: '10m', factory: () => ({ eur: 1.08 }) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const failing = () => {
      throw new Error('rates service is down');
    };
    expect(await b.getOrSet({ key: 'rates', ttl: 1, grace: '10m', factory: failing })).toEqual({ eur: 1.08 });
  });
});

import { Client } from '@dalli/core';
import { itemTtl, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUseCacheHandler, type UseCacheEntry, type UseCacheHandler } from '../../src/index.ts';

const DIALECTS = ['binary', 'meta', 'text'] as const;

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await memcached.stop();
});

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
}

function entry(fields: Partial<UseCacheEntry> = {}): UseCacheEntry {
  return {
    value: streamOf('{"rows":', '[1,2,3]}'),
    tags: ['products'],
    stale: 300,
    timestamp: Date.now(),
    expire: 3600,
    revalidate: 900,
    ...fields,
  };
}

async function text(found: UseCacheEntry | undefined): Promise<string | undefined> {
  return found === undefined ? undefined : new Response(found.value).text();
}

describe.each(DIALECTS)('%s protocol', (protocol) => {
  const clients: Client[] = [];
  function instance(keyPrefix: string): UseCacheHandler {
    const client = new Client(memcached.address, { protocol, socketTimeout: 0.5 });
    clients.push(client);
    return createUseCacheHandler({ servers: client, keyPrefix });
  }
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });

  it('reads an entry back on another instance, with a new stream on every get', async () => {
    const [a, b] = [instance(`${protocol}-rt`), instance(`${protocol}-rt`)];
    const written = entry();
    await a.set('k', Promise.resolve(written));
    const first = await b.get('k', []);
    const second = await b.get('k', []);
    expect(await text(first)).toBe('{"rows":[1,2,3]}');
    expect(await text(second)).toBe('{"rows":[1,2,3]}');
    const { value: _, ...fields } = written;
    expect(first).toMatchObject(fields);
    expect(await b.get('absent', [])).toBeUndefined();
  });

  it('makes a get wait for a set of the same key still in progress, instead of missing', async () => {
    const a = instance(`${protocol}-pending`);
    let resolve: (value: UseCacheEntry) => void = () => {};
    const pending = new Promise<UseCacheEntry>((r) => {
      resolve = r;
    });
    const setting = a.set('k', pending);
    const reading = a.get('k', []);
    resolve(entry());
    await setting;
    expect(await text(await reading)).toBe('{"rows":[1,2,3]}');
  });

  it('expires an entry on every instance when one calls updateTags without durations (updateTag)', async () => {
    const [a, b] = [instance(`${protocol}-tags`), instance(`${protocol}-tags`)];
    await a.set('k', Promise.resolve(entry({ timestamp: Date.now() - 5 })));
    await a.set('other', Promise.resolve(entry({ tags: ['orders'], timestamp: Date.now() - 5 })));
    await b.updateTags(['products']);
    expect(await a.get('k', [])).toBeUndefined();
    expect(await text(await a.get('other', []))).toBe('{"rows":[1,2,3]}');
  });

  it('checks the soft (implicit path) tags passed to get, as getExpiration answers Infinity', async () => {
    const [a, b] = [instance(`${protocol}-soft`), instance(`${protocol}-soft`)];
    expect(await a.getExpiration(['_N_T_/shop'])).toBe(Number.POSITIVE_INFINITY);
    await a.set('k', Promise.resolve(entry({ timestamp: Date.now() - 5 })));
    await b.updateTags(['_N_T_/shop']);
    expect(await a.get('k', ['_N_T_/layout', '_N_T_/shop'])).toBeUndefined();
    expect(await a.get('k', ['_N_T_/layout', '_N_T_/cart'])).toBeDefined();
  });

  it('returns an entry of a tag revalidated with durations with revalidate -1 (stale), then drops it once expire passes', async () => {
    const [a, b] = [instance(`${protocol}-swr`), instance(`${protocol}-swr`)];
    await a.set('k', Promise.resolve(entry({ timestamp: Date.now() - 5 })));
    await b.updateTags(['products'], { expire: 3600 });
    const stale = await a.get('k', []);
    expect(stale?.revalidate).toBe(-1);
    expect(await text(stale)).toBe('{"rows":[1,2,3]}');
    await b.updateTags(['products'], { expire: 0 });
    expect(await a.get('k', [])).toBeUndefined();
  });

  it('stores an entry with its expire as TTL', async () => {
    const a = instance(`${protocol}-ttl`);
    await a.set('k', Promise.resolve(entry({ expire: 120 })));
    const ttl = await itemTtl(memcached.address, `${protocol}-ttl:entry:use-cache:k`);
    expect(ttl).toBeGreaterThan(110);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('does not store a dynamic entry (expire 0) nor one whose stream failed', async () => {
    const a = instance(`${protocol}-skip`);
    await a.set('dynamic', Promise.resolve(entry({ expire: 0 })));
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1]));
        controller.error(new Error('render failed'));
      },
    });
    await a.set('failed', Promise.resolve(entry({ value: failing })));
    expect(await a.get('dynamic', [])).toBeUndefined();
    expect(await a.get('failed', [])).toBeUndefined();
  });
});

import { randomBytes } from 'node:crypto';
import { Client, InvalidArgumentError } from '@dalli/core';
import { freePort, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIncrementalCacheHandler, createUseCacheHandler, type UseCacheEntry } from '../../src/index.ts';

const DIALECTS = ['binary', 'meta', 'text'] as const;
const PAGE_GET = { kind: 'APP_PAGE', isFallback: false };

let memcached: MemcachedProcess;
let nobody: string;
beforeAll(async () => {
  memcached = await startMemcached();
  // A loopback port nothing listens on: every connection is refused at once.
  nobody = `127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await memcached.stop();
});

function cacheEntry(bytes: Uint8Array): UseCacheEntry {
  return {
    value: new Response(bytes).body as ReadableStream<Uint8Array>,
    tags: [],
    stale: 300,
    timestamp: Date.now(),
    expire: 3600,
    revalidate: 900,
  };
}

describe('when memcached cannot be reached', () => {
  const clients: Client[] = [];
  const unreachable = () => {
    const client = new Client(nobody, { socketTimeout: 0.2 });
    clients.push(client);
    return client;
  };
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });

  it('reads miss and writes store nothing, each reported to onError, so Next.js renders instead of failing', async () => {
    const onError = vi.fn();
    const Handler = createIncrementalCacheHandler({ servers: unreachable(), onError });
    const handler = new Handler({});
    const page = { kind: 'APP_PAGE', html: 'x', headers: {} };
    await handler.set('/p', page, {});
    expect(await handler.get('/p', PAGE_GET)).toBeNull();
    const useCache = createUseCacheHandler({ servers: unreachable(), onError });
    await useCache.set('k', Promise.resolve(cacheEntry(new Uint8Array([1]))));
    expect(await useCache.get('k', [])).toBeUndefined();
    expect(onError.mock.calls.map(([error, operation, key]) => [error.code, operation, key])).toEqual([
      [expect.stringMatching(/^ERR_DALLI_(CONNECTION|NO_SERVER)$/), 'set', '/p'],
      [expect.stringMatching(/^ERR_DALLI_(CONNECTION|NO_SERVER)$/), 'get', '/p'],
      [expect.stringMatching(/^ERR_DALLI_(CONNECTION|NO_SERVER)$/), 'set', 'k'],
      [expect.stringMatching(/^ERR_DALLI_(CONNECTION|NO_SERVER)$/), 'get', 'k'],
    ]);
  });

  it('rejects a revalidation: one that did not happen must not pass for done', async () => {
    const Handler = createIncrementalCacheHandler({ servers: unreachable() });
    await expect(new Handler({}).revalidateTag('products')).rejects.toMatchObject({
      code: expect.stringMatching(/^ERR_DALLI_(CONNECTION|NO_SERVER)$/),
    });
    await expect(createUseCacheHandler({ servers: unreachable() }).updateTags(['products'])).rejects.toMatchObject({
      code: expect.stringMatching(/^ERR_DALLI_(CONNECTION|NO_SERVER)$/),
    });
  });

  it('reports by default one line on console.error naming the operation, the key and the code', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const Handler = createIncrementalCacheHandler({ servers: unreachable() });
      expect(await new Handler({}).get('/products', PAGE_GET)).toBeNull();
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged.mock.calls[0]?.[0]).toMatch(/^@dalli\/next: get of "\/products" failed \(ERR_DALLI_\w+\): /);
    } finally {
      logged.mockRestore();
    }
  });
});

describe.each(DIALECTS)('%s protocol: a value larger than the item size', (protocol) => {
  // Random bytes: the client compresses large values by default, and these do not shrink.
  it('is not stored and is reported with ValueTooLargeError; the key then misses', async () => {
    const client = new Client(memcached.address, { protocol });
    try {
      const onError = vi.fn();
      const handler = createUseCacheHandler({ servers: client, keyPrefix: `${protocol}-large`, onError });
      await handler.set('big', Promise.resolve(cacheEntry(randomBytes(2 * 1024 * 1024))));
      expect(onError).toHaveBeenCalledWith(
        expect.objectContaining({ code: 'ERR_DALLI_VALUE_TOO_LARGE' }),
        'set',
        'big',
      );
      expect(await handler.get('big', [])).toBeUndefined();
    } finally {
      await client.close();
    }
  });
});

it('refuses bad options before any connection', () => {
  expect(() => createUseCacheHandler({ keyPrefix: 'has space' })).toThrow(InvalidArgumentError);
  expect(() => createIncrementalCacheHandler({ keyPrefix: '' })).toThrow(InvalidArgumentError);
  expect(() => createUseCacheHandler({ onError: 'log' as never })).toThrow(InvalidArgumentError);
});

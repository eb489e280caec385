import type { AddressInfo } from 'node:net';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, localCacheMiddleware, withLocalCache } from '../../../src/index.ts';
import { DIALECTS } from '../../support/dialects.ts';

describe.each(DIALECTS)('%s protocol: request-scoped local cache', (protocol) => {
  let memcached: MemcachedProcess;
  let client: Client;
  let other: Client;

  beforeAll(async () => {
    memcached = await startMemcached();
    client = new Client(memcached.address, { protocol });
    other = new Client(memcached.address, { protocol });
  });
  afterAll(async () => {
    await Promise.all([client.close(), other.close()]);
    await memcached.stop();
  });

  const serverReads = async (): Promise<number> => Number(Object.values(await other.stats())[0]?.cmd_get);

  /** A page that reads the same 20 keys 10 times. */
  async function page(): Promise<unknown[]> {
    const values: unknown[] = [];
    for (let round = 0; round < 10; round++) {
      for (let key = 0; key < 20; key++) values.push(await client.get(`page:${key}`));
    }
    return values;
  }

  it('a page reading 20 keys 10 times: 200 server reads without a scope, 20 within one', async () => {
    await client.setMulti(Array.from({ length: 20 }, (_, key) => [`page:${key}`, key] as const));
    let before = await serverReads();
    const plain = await page();
    expect((await serverReads()) - before).toBe(200);
    before = await serverReads();
    const scoped = await withLocalCache(page);
    expect((await serverReads()) - before).toBe(20);
    expect(scoped).toEqual(plain);
  });

  it("the scope's own writes and deletes update it; other clients' writes are not seen until it ends", async () => {
    await client.set('scope:k', 'first');
    await withLocalCache(async () => {
      expect(await client.get('scope:k')).toBe('first');
      await other.set('scope:k', 'by another client');
      expect(await client.get('scope:k')).toBe('first');
      await client.set('scope:k', 'mine');
      expect(await client.get('scope:k')).toBe('mine');
      await client.delete('scope:k');
      expect(await client.get('scope:k')).toBeUndefined();
      expect(await client.add('scope:k', 'added')).toBe(true);
      expect(await client.get('scope:k')).toBe('added');
      await client.deleteMulti(['scope:k']);
      expect(await client.get('scope:k')).toBeUndefined();
      await client.setMulti({ 'scope:k': 'multi' });
      expect(await client.get('scope:k')).toBe('multi');
    });
    expect(await client.get('scope:k')).toBe('multi');
  });

  it('a refused add or a counter change forgets the key instead of remembering a wrong value', async () => {
    await client.set('scope:add', 'there');
    await client.set('scope:n', '1', 0, { raw: true });
    await withLocalCache(async () => {
      expect(await client.add('scope:add', 'refused')).toBe(false);
      expect(await client.get('scope:add')).toBe('there');
      expect(String(await client.get('scope:n'))).toBe('1');
      await client.incr('scope:n');
      expect(String(await client.get('scope:n'))).toBe('2');
    });
  });

  it('fetch inside a scope reads through it: the second fetch of a key costs no server read', async () => {
    await withLocalCache(async () => {
      expect(await client.fetch('scope:fetch', () => 'computed')).toBe('computed');
      const before = await serverReads();
      expect(await client.fetch('scope:fetch', () => 'again')).toBe('computed');
      expect(await serverReads()).toBe(before);
    });
  });

  it('localCacheMiddleware gives each Express request its own scope', async () => {
    await client.set('express:k', 'v1');
    const app = express();
    app.use(localCacheMiddleware());
    app.get('/', async (_request, response) => {
      const first = await client.get('express:k');
      await other.set('express:k', 'changed mid-request');
      response.json([first, await client.get('express:k')]);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect(await (await fetch(url)).json()).toEqual(['v1', 'v1']);
      expect(await (await fetch(url)).json()).toEqual(['changed mid-request', 'changed mid-request']);
    } finally {
      server.close();
    }
  });
});

import { promisify } from 'node:util';
import { Client, InvalidArgumentError } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import type { SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

const session = (user: string) => ({ cookie: { originalMaxAge: null }, user }) as unknown as SessionData;

describe('sessions and the near cache', () => {
  it('refuses a near cache in clientOptions', () => {
    for (const nearCache of [true, { ttl: 1 }]) {
      expect(() => new DalliSessionStore({ servers: memcached.address, clientOptions: { nearCache } })).toThrow(
        InvalidArgumentError,
      );
    }
  });

  it('reads a session another process changed at once, even through a shared client with a near cache', async () => {
    const shared = new Client(memcached.address, { failover: false, nearCache: { ttl: 600 } });
    const mine = new DalliSessionStore({ client: shared });
    const theirs = new DalliSessionStore({ servers: memcached.address });
    const get = (store: DalliSessionStore) => promisify(store.get.bind(store));
    const set = (store: DalliSessionStore) => promisify(store.set.bind(store));
    try {
      await set(theirs)('sid-near', session('ann'));
      expect(await get(mine)('sid-near')).toMatchObject({ user: 'ann' });
      await set(theirs)('sid-near', session('bob'));
      expect(await get(mine)('sid-near')).toMatchObject({ user: 'bob' });
      expect(shared.nearCacheStats()?.hits).toBe(0);
    } finally {
      await theirs.close();
      await shared.close();
    }
  });
});

import { Client, InvalidArgumentError } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dalliStore } from '../src/index.ts';

let memcached: MemcachedProcess;
let client: Client;

beforeAll(async () => {
  memcached = await startMemcached();
  client = new Client(memcached.address);
});
afterAll(async () => {
  await client.close();
  await memcached.stop();
});

describe('dalliStore: a shared client beside servers or clientOptions', () => {
  it.each([
    ['servers', { servers: '127.0.0.1:1' }],
    ['clientOptions', { clientOptions: { socketTimeout: 0.2 } }],
  ])('refuses client with %s instead of silently ignoring them', (_, beside) => {
    expect(() => dalliStore({ client, ...beside })).toThrow(InvalidArgumentError);
    expect(() => dalliStore({ client, ...beside })).toThrow(/give either "client" or "servers"\/"clientOptions"/);
  });

  it('refuses them in NestJS 10’s form (store: dalliStore) too', () => {
    expect(() => dalliStore({ store: dalliStore, client, servers: '127.0.0.1:1' })).toThrow(InvalidArgumentError);
  });

  it('uses the shared client alone', async () => {
    const store = dalliStore({ client, namespace: 'shared' });
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    expect(store.client).toBe(client);
  });
});

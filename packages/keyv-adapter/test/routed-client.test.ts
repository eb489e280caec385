import { Client, type ClientOptions } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { Keyv } from 'keyv6';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KeyvDalli } from '../src/index.ts';

/** Keyv over a client with the proxy's failover-gutter routes: the adapter follows the client's routes. */
let primaries: MemcachedProcess[];
let gutter: MemcachedProcess;

beforeAll(async () => {
  [gutter, ...primaries] = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
});
afterAll(() => Promise.all([gutter, ...primaries].map((node) => node.stop())));

const ROUTED: ClientOptions = {
  socketTimeout: 0.2,
  socketMaxFailures: 1,
  downRetryDelay: 0.2,
  routes: {
    write: { route: 'failover', children: ['main', { route: 'ttl', ttl: 300, child: 'gutter' }] },
    default: { route: 'failover', children: ['main', 'gutter'] },
  },
};

it('keeps serving and clearing a Keyv namespace through the gutter while a primary is dead', async () => {
  const client = new Client(
    primaries.map((node) => node.address),
    { ...ROUTED, pools: { gutter: { servers: gutter.address } } },
  );
  const cache = new Keyv({ store: new KeyvDalli(client), namespace: 'routed' });
  const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
  try {
    for (const key of keys) await cache.set(key, { key });
    await (primaries[0] as MemcachedProcess).stop();
    for (const key of keys) await cache.set(key, { key, during: true });
    for (const key of keys) expect(await cache.get(key)).toEqual({ key, during: true });
    await cache.clear();
    for (const key of keys) expect(await cache.get(key)).toBeUndefined();
    await (primaries[0] as MemcachedProcess).start();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the namespace's token refresh
    for (const key of keys) expect(await cache.get(key)).toBeUndefined();
    expect(client.routeStats()?.failovers).toBeGreaterThan(0);
  } finally {
    await client.close();
  }
});

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type NearCacheEventMessage } from '../../../src/index.ts';
import { DIALECTS } from '../../support/dialects.ts';

const MAX_BYTES = 64 * 1024;
const KEYS = 20_000;

describe.each(DIALECTS)('%s protocol: near cache memory bound', (protocol) => {
  let memcached: MemcachedProcess;
  let near: Client;
  beforeAll(async () => {
    memcached = await startMemcached();
    near = new Client(memcached.address, { protocol, nearCache: { maxBytes: MAX_BYTES, ttl: 600 } });
    const seed = new Client(memcached.address, { protocol });
    for (let start = 0; start < KEYS; start += 1000) {
      await seed.setMulti(Array.from({ length: 1000 }, (_, i) => [`mem-${start + i}`, 'v'.repeat(100)] as const));
    }
    await seed.set('mem-hot', 'hot');
    await seed.close();
  });
  afterAll(async () => {
    await near.close();
    await memcached.stop();
  });

  it('holds at most maxBytes under many distinct keys, and a hot key outlives a scan of one-off keys', async () => {
    let most = 0;
    const listener = (message: unknown) => {
      const event = message as NearCacheEventMessage;
      if (event.client === near) most = Math.max(most, event.bytes);
    };
    subscribe('dalli:near-cache', listener);
    try {
      for (let i = 0; i < 20; i++) await near.get('mem-hot');
      for (let start = 0; start < KEYS; start += 500) {
        const keys = Array.from({ length: 500 }, (_, i) => `mem-${start + i}`);
        const found = await near.getMulti(keys);
        expect(found.size).toBe(500);
        expect(near.nearCacheStats()?.bytes).toBeLessThanOrEqual(MAX_BYTES);
      }
    } finally {
      unsubscribe('dalli:near-cache', listener);
    }
    const stats = near.nearCacheStats();
    expect(most).toBeLessThanOrEqual(MAX_BYTES);
    expect(most).toBeGreaterThan(MAX_BYTES / 2);
    expect((stats?.evictions ?? 0) + (stats?.rejections ?? 0)).toBeGreaterThan(KEYS / 2);
    const hits = stats?.hits ?? 0;
    await near.get('mem-hot');
    expect(near.nearCacheStats()?.hits).toBe(hits + 1);
  });
});

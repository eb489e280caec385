import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;

beforeAll(async () => {
  memcached = await startMemcached();
  proxy = await startFaultProxy({ host: '127.0.0.1', port: memcached.port });
});
afterAll(async () => {
  await proxy.close();
  await memcached.stop();
});

const KEYS = Array.from({ length: 50 }, (_, i) => `admitted:${i}`);

it.each(DIALECTS)(
  'resends every key of an admitted multi-key get whose connection broke, past maxQueued (%s)',
  async (protocol) => {
    const seed = new Client(memcached.address, { protocol });
    await seed.setMulti(KEYS.map((key) => [key, key] as const));
    await seed.close();
    const client = new Client(`127.0.0.1:${proxy.port}`, { protocol, maxQueued: 10, socketFailureDelay: 0.05 });
    // The first connection breaks in the middle of the replies; the next one works.
    proxy.set({ truncateRepliesAfter: 40, truncateAction: 'reset' });
    const heal = (message: unknown): void => {
      if ((message as { error?: unknown }).error !== undefined) proxy.heal();
    };
    subscribe('dalli:connection:close', heal);
    try {
      const found = await client.getMulti(KEYS);
      expect(found.size).toBe(KEYS.length);
    } finally {
      unsubscribe('dalli:connection:close', heal);
      proxy.heal();
      await client.close();
    }
  },
);

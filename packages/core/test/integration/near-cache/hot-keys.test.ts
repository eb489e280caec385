import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type HotKeyMessage } from '../../../src/index.ts';

describe('hot keys on dalli:hotkey', () => {
  let memcached: MemcachedProcess;
  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(() => memcached.stop());

  it('reports a key at 5 % of the requests, with its server and share', async () => {
    const client = new Client(memcached.address, {
      protocol: 'meta',
      hotKeys: { window: 0.05 },
      nearCache: { ttl: 60 },
    });
    const reports: HotKeyMessage[] = [];
    let reported: () => void = () => {};
    const heard = new Promise<void>((resolve) => {
      reported = resolve;
    });
    const listener = (message: unknown) => {
      const report = message as HotKeyMessage;
      if (report.client !== client) return;
      reports.push(report);
      reported();
    };
    subscribe('dalli:hotkey', listener);
    try {
      await client.set('hot-key', 'v');
      // 5 % of the requests, the rest spread over 5,000 keys, until a window has ended (bounded).
      for (let round = 0; round < 200 && reports.length === 0; round++) {
        const keys = Array.from({ length: 200 }, (_, i) =>
          i % 20 === 0 ? 'hot-key' : `cold-${(round * 200 + i) % 5000}`,
        );
        await Promise.race([client.getMulti(keys), heard]);
      }
    } finally {
      unsubscribe('dalli:hotkey', listener);
      await client.close();
    }
    expect(reports.length).toBeGreaterThan(0);
    expect(new Set(reports.map((report) => report.key))).toEqual(new Set(['hot-key']));
    expect(reports[0]).toMatchObject({ server: memcached.address, window: 50 });
    expect(reports[0]?.share).toBeGreaterThanOrEqual(0.04);
  });
});

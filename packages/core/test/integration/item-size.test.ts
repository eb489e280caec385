import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ValueTooLargeError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

/**
 * memcached refuses an item (value + key + its header) over `-I`: the client must refuse the same
 * writes before sending them, and send every write memcached would store. The limit comes from
 * the server's own `stats settings`, so the test follows memcached, not the client's formula.
 */
describe.each(['1m', '2m'])('memcached -I %s', (itemSize) => {
  let memcached: MemcachedProcess;
  let itemSizeMax: number;

  beforeAll(async () => {
    memcached = await startMemcached({ args: ['-I', itemSize] });
    const probe = new Client(memcached.address);
    itemSizeMax = Number((await probe.stats('settings'))[memcached.address]?.item_size_max);
    await probe.close();
  });
  afterAll(() => memcached.stop());

  describe.each(DIALECTS)('%s', (protocol) => {
    let client: Client;
    beforeAll(() => {
      client = new Client(memcached.address, { protocol, valueMaxBytes: itemSizeMax, compress: false });
    });
    afterAll(() => client.close());

    async function sets(): Promise<number> {
      return Number((await client.stats())[memcached.address]?.cmd_set);
    }

    // raw: flags 0 (no flags suffix in the item); JSON: flags 0x1, and the string's two quotes.
    const layouts = [
      { name: 'raw bytes (flags 0)', raw: true, overhead: 59, value: (n: number) => Buffer.alloc(n, 0x61) },
      { name: 'a JSON string (flags 1)', raw: false, overhead: 63 + 2, value: (n: number) => 'a'.repeat(n) },
    ];

    it.each(layouts.flatMap((layout) => [1, 37, 250].map((keyBytes) => ({ ...layout, keyBytes }))))(
      '$name under a $keyBytes-byte key: the largest value accepted is stored; one byte more is refused unsent',
      async ({ raw, overhead, value, keyBytes }) => {
        const key = 'k'.repeat(keyBytes);
        const largest = itemSizeMax - keyBytes - overhead;
        expect(await client.set(key, value(largest), 0, { raw })).toBe(true);
        const stored = (await client.get(key, { raw: true })) as Buffer;
        expect(stored.length).toBe(raw ? largest : largest + 2);
        const before = await sets();
        const error = await client.set(key, value(largest + 1), 0, { raw }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValueTooLargeError);
        expect(await sets()).toBe(before);
        await client.delete(key);
      },
    );

    it('setMulti refuses the whole batch, unsent, when one item would be over -I', async () => {
      const before = await sets();
      const entries = [
        ['fits', Buffer.alloc(10)],
        ['over', Buffer.alloc(itemSizeMax - 4 - 59 + 1)],
      ] as const;
      await expect(client.setMulti(entries, 0, { raw: true })).rejects.toBeInstanceOf(ValueTooLargeError);
      expect(await sets()).toBe(before);
      await client.setMulti([entries[0], ['over', Buffer.alloc(itemSizeMax - 4 - 59)]], 0, { raw: true });
      expect(((await client.get('over', { raw: true })) as Buffer).length).toBe(itemSizeMax - 63);
    });
  });
});

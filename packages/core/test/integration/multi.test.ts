import { describe, expect, it } from 'vitest';
import { BatchError, Client, InvalidKeyError, TimeoutError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';
import { memcachedClient } from '../support/memcached-client.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  const suite = memcachedClient(protocol, { proxy: true, client: { namespace: 'multi' } });

  const keys = Array.from({ length: 100 }, (_, i) => `key:${i}`);

  describe('getMulti / setMulti / deleteMulti', () => {
    it('setMulti stores every entry, and getMulti returns the hits keyed as given', async () => {
      await suite.client.setMulti(keys.map((key, i) => [key, { i }] as const));
      const found = await suite.client.getMulti([...keys, 'absent:1', 'absent:2']);
      expect(found.size).toBe(100);
      expect([...found.keys()]).toEqual(keys);
      expect(found.get('key:42')).toEqual({ i: 42 });
      expect(found.has('absent:1')).toBe(false);
    });

    it('getMulti of 100 keys leaves in one write as one pipelined batch', async () => {
      await suite.client.noop(); // the connection is open and idle
      const before = suite.proxy.clientChunks;
      const found = await suite.client.getMulti(keys);
      expect(found.size).toBe(100);
      expect(suite.proxy.clientChunks - before).toBe(1);
    });

    it('setMulti takes a Map or a plain object, and a TTL', async () => {
      await suite.client.setMulti(new Map([['m:1', 1]]));
      await suite.client.setMulti({ 'o:1': 'one', 'o:2': 'two' }, 1);
      expect(await suite.client.getMulti(['m:1', 'o:1', 'o:2'])).toEqual(
        new Map<string, unknown>([
          ['m:1', 1],
          ['o:1', 'one'],
          ['o:2', 'two'],
        ]),
      );
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(await suite.client.getMulti(['m:1', 'o:1', 'o:2'])).toEqual(new Map([['m:1', 1]]));
    });

    it('deleteMulti reports per key whether it was deleted', async () => {
      await suite.client.setMulti([
        ['d:1', 1],
        ['d:2', 2],
      ]);
      const deleted = await suite.client.deleteMulti(['d:1', 'd:2', 'd:absent']);
      expect(deleted).toEqual(
        new Map([
          ['d:1', true],
          ['d:2', true],
          ['d:absent', false],
        ]),
      );
      expect((await suite.client.getMulti(['d:1', 'd:2'])).size).toBe(0);
    });

    it('handles empty and duplicate key lists', async () => {
      expect((await suite.client.getMulti([])).size).toBe(0);
      await suite.client.set('dup', 'once');
      expect(await suite.client.getMulti(['dup', 'dup'])).toEqual(new Map([['dup', 'once']]));
    });

    it("returns long keys under the caller's key, though they travel shortened", async () => {
      const long = 'L'.repeat(400);
      await suite.client.setMulti([[long, 'long value']]);
      expect(await suite.client.getMulti([long])).toEqual(new Map([[long, 'long value']]));
    });

    it('refuses the whole call, sending nothing, when one key is invalid', async () => {
      const before = suite.proxy.clientChunks;
      await expect(suite.client.getMulti(['fine', 'not fine'])).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(
        suite.client.setMulti([
          ['fine', 1],
          ['', 2],
        ]),
      ).rejects.toBeInstanceOf(InvalidKeyError);
      expect(suite.proxy.clientChunks).toBe(before);
    });

    it('rejects with a BatchError that keeps the partial results when replies time out', async () => {
      const timing = new Client(suite.proxy.address, { namespace: 'multi', socketTimeout: 0.2, protocol });
      await timing.noop();
      suite.proxy.set({ blackhole: true });
      const error = await timing.getMulti(['key:1', 'key:2']).catch((e: unknown) => e);
      suite.proxy.heal();
      expect(error).toBeInstanceOf(BatchError);
      const batch = error as BatchError<Map<string, unknown>>;
      expect(batch.code).toBe('ERR_DALLI_BATCH');
      expect(batch.results.size).toBe(0);
      expect([...batch.errors.keys()]).toEqual(['key:1', 'key:2']);
      expect(batch.cause).toBeInstanceOf(TimeoutError);
      await timing.close();
    });

    it('rejects at once when aborted, leaving the connection in step', async () => {
      suite.proxy.set({ replyDelay: 100 });
      const controller = new AbortController();
      const pending = suite.client.getMulti(keys, { signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      suite.proxy.heal();
      expect((await suite.client.getMulti(keys)).get('key:7')).toEqual({ i: 7 });
    });
  });
});

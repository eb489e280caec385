import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchError, Client, InvalidKeyError, TimeoutError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  let memcached: MemcachedProcess;
  let proxy: FaultProxy;
  let client: Client;

  beforeAll(async () => {
    memcached = await startMemcached();
    proxy = await startFaultProxy(memcached);
    client = new Client(proxy.address, { namespace: 'multi', protocol });
  });
  afterAll(async () => {
    await client.close();
    await proxy.close();
    await memcached.stop();
  });

  const keys = Array.from({ length: 100 }, (_, i) => `key:${i}`);

  describe('getMulti / setMulti / deleteMulti', () => {
    it('setMulti stores every entry, and getMulti returns the hits keyed as given', async () => {
      await client.setMulti(keys.map((key, i) => [key, { i }] as const));
      const found = await client.getMulti([...keys, 'absent:1', 'absent:2']);
      expect(found.size).toBe(100);
      expect([...found.keys()]).toEqual(keys);
      expect(found.get('key:42')).toEqual({ i: 42 });
      expect(found.has('absent:1')).toBe(false);
    });

    it('getMulti of 100 keys leaves in one write as one pipelined batch', async () => {
      await client.noop(); // the connection is open and idle
      const before = proxy.clientChunks;
      const found = await client.getMulti(keys);
      expect(found.size).toBe(100);
      expect(proxy.clientChunks - before).toBe(1);
    });

    it('setMulti takes a Map or a plain object, and a TTL', async () => {
      await client.setMulti(new Map([['m:1', 1]]));
      await client.setMulti({ 'o:1': 'one', 'o:2': 'two' }, 1);
      expect(await client.getMulti(['m:1', 'o:1', 'o:2'])).toEqual(
        new Map<string, unknown>([
          ['m:1', 1],
          ['o:1', 'one'],
          ['o:2', 'two'],
        ]),
      );
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(await client.getMulti(['m:1', 'o:1', 'o:2'])).toEqual(new Map([['m:1', 1]]));
    });

    it('deleteMulti reports per key whether it was deleted', async () => {
      await client.setMulti([
        ['d:1', 1],
        ['d:2', 2],
      ]);
      const deleted = await client.deleteMulti(['d:1', 'd:2', 'd:absent']);
      expect(deleted).toEqual(
        new Map([
          ['d:1', true],
          ['d:2', true],
          ['d:absent', false],
        ]),
      );
      expect((await client.getMulti(['d:1', 'd:2'])).size).toBe(0);
    });

    it('handles empty and duplicate key lists', async () => {
      expect((await client.getMulti([])).size).toBe(0);
      await client.set('dup', 'once');
      expect(await client.getMulti(['dup', 'dup'])).toEqual(new Map([['dup', 'once']]));
    });

    it("returns long keys under the caller's key, though they travel shortened", async () => {
      const long = 'L'.repeat(400);
      await client.setMulti([[long, 'long value']]);
      expect(await client.getMulti([long])).toEqual(new Map([[long, 'long value']]));
    });

    it('refuses the whole call, sending nothing, when one key is invalid', async () => {
      const before = proxy.clientChunks;
      await expect(client.getMulti(['fine', 'not fine'])).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(
        client.setMulti([
          ['fine', 1],
          ['', 2],
        ]),
      ).rejects.toBeInstanceOf(InvalidKeyError);
      expect(proxy.clientChunks).toBe(before);
    });

    it('rejects with a BatchError that keeps the partial results when replies time out', async () => {
      const timing = new Client(proxy.address, { namespace: 'multi', socketTimeout: 0.2, protocol });
      await timing.noop();
      proxy.set({ blackhole: true });
      const error = await timing.getMulti(['key:1', 'key:2']).catch((e: unknown) => e);
      proxy.heal();
      expect(error).toBeInstanceOf(BatchError);
      const batch = error as BatchError<Map<string, unknown>>;
      expect(batch.code).toBe('ERR_DALLI_BATCH');
      expect(batch.results.size).toBe(0);
      expect([...batch.errors.keys()]).toEqual(['key:1', 'key:2']);
      expect(batch.cause).toBeInstanceOf(TimeoutError);
      await timing.close();
    });

    it('rejects at once when aborted, leaving the connection in step', async () => {
      proxy.set({ replyDelay: 100 });
      const controller = new AbortController();
      const pending = client.getMulti(keys, { signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      proxy.heal();
      expect((await client.getMulti(keys)).get('key:7')).toEqual({ i: 7 });
    });
  });
});

import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  let memcached: MemcachedProcess;
  let client: Client;

  beforeAll(async () => {
    memcached = await startMemcached();
    client = new Client(memcached.address, { protocol });
  });
  afterAll(async () => {
    await client.close();
    await memcached.stop();
  });

  describe('Client get/set/delete/version', () => {
    it('stores a value and reads it back (the seed example)', async () => {
      expect(await client.set('abc', 123)).toBe(true);
      expect(await client.get('abc')).toBe(123);
    });

    it('round-trips JSON values, strings and multibyte keys', async () => {
      const value = { name: 'Dalí', tags: ['persistence', 'memory'], n: 1.5, nested: { ok: true } };
      await client.set('ключ:объект', value);
      expect(await client.get('ключ:объект')).toEqual(value);
      await client.set('text', 'plain text');
      expect(await client.get('text')).toBe('plain text');
    });

    it('returns undefined on a miss', async () => {
      expect(await client.get('never-set')).toBeUndefined();
    });

    it('deletes, and reports false for a key that was not there', async () => {
      await client.set('doomed', 'x');
      expect(await client.delete('doomed')).toBe(true);
      expect(await client.get('doomed')).toBeUndefined();
      expect(await client.delete('doomed')).toBe(false);
    });

    it('expires a value after its TTL', async () => {
      await client.set('short-lived', 'x', 1);
      expect(await client.get('short-lived')).toBe('x');
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(await client.get('short-lived')).toBeUndefined();
    });

    it('reports the version of each server by name', async () => {
      const versions = await client.version();
      expect(Object.keys(versions)).toEqual([memcached.address]);
      expect(versions[memcached.address]).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('answers many concurrent operations each with its own value', async () => {
      const keys = Array.from({ length: 500 }, (_, i) => `concurrent:${i}`);
      await Promise.all(keys.map((key) => client.set(key, { key })));
      const values = await Promise.all(keys.map((key) => client.get(key)));
      expect(values).toEqual(keys.map((key) => ({ key })));
    });

    it('works over a Unix socket', async () => {
      const unix = await startMemcached({ kind: 'unix' });
      const local = new Client(unix.address, { protocol });
      await local.set('via-socket', 'yes');
      expect(await local.get('via-socket')).toBe('yes');
      await local.close();
      await unix.stop();
    });
  });
});

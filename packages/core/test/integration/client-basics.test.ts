import { startMemcached } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';
import { memcachedClient } from '../support/memcached-client.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  const suite = memcachedClient(protocol);

  describe('Client get/set/delete/version', () => {
    it('stores a value and reads it back (the seed example)', async () => {
      expect(await suite.client.set('abc', 123)).toBe(true);
      expect(await suite.client.get('abc')).toBe(123);
    });

    it('round-trips JSON values, strings and multibyte keys', async () => {
      const value = { name: 'Dalí', tags: ['persistence', 'memory'], n: 1.5, nested: { ok: true } };
      await suite.client.set('ключ:объект', value);
      expect(await suite.client.get('ключ:объект')).toEqual(value);
      await suite.client.set('text', 'plain text');
      expect(await suite.client.get('text')).toBe('plain text');
    });

    it('returns undefined on a miss', async () => {
      expect(await suite.client.get('never-set')).toBeUndefined();
    });

    it('deletes, and reports false for a key that was not there', async () => {
      await suite.client.set('doomed', 'x');
      expect(await suite.client.delete('doomed')).toBe(true);
      expect(await suite.client.get('doomed')).toBeUndefined();
      expect(await suite.client.delete('doomed')).toBe(false);
    });

    it('expires a value after its TTL', async () => {
      await suite.client.set('short-lived', 'x', 1);
      expect(await suite.client.get('short-lived')).toBe('x');
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(await suite.client.get('short-lived')).toBeUndefined();
    });

    it('reports the version of each server by name', async () => {
      const versions = await suite.client.version();
      expect(Object.keys(versions)).toEqual([suite.memcached.address]);
      expect(versions[suite.memcached.address]).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('answers many concurrent operations each with its own value', async () => {
      const keys = Array.from({ length: 500 }, (_, i) => `concurrent:${i}`);
      await Promise.all(keys.map((key) => suite.client.set(key, { key })));
      const values = await Promise.all(keys.map((key) => suite.client.get(key)));
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

import { startFaultProxy } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import { ClearableNamespace, Client } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';
import { memcachedClient } from '../support/memcached-client.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  const suite = memcachedClient(protocol);

  describe('ClearableNamespace', () => {
    it('clears its own keys without flush_all, leaving other namespaces and plain keys alone', async () => {
      const mine = new ClearableNamespace(suite.client, 'mine');
      const theirs = new ClearableNamespace(suite.client, 'theirs');
      await suite.client.set(await mine.key('a'), 1);
      await suite.client.set(await theirs.key('a'), 2);
      await suite.client.set('plain', 3);
      await mine.clear();
      expect(await suite.client.get(await mine.key('a'))).toBeUndefined();
      expect(await suite.client.get(await theirs.key('a'))).toBe(2);
      expect(await suite.client.get('plain')).toBe(3);
      expect(Number((await suite.client.stats())[suite.memcached.address]?.cmd_flush)).toBe(0);
    });

    it('with refresh 0, sees a clear made by another process (another client) at its next operation', async () => {
      const other = new Client(suite.memcached.address, { protocol });
      const here = new ClearableNamespace(suite.client, 'shared', { refresh: 0 });
      const there = new ClearableNamespace(other, 'shared', { refresh: 0 });
      await suite.client.set(await here.key('k'), 'v');
      expect(await other.get(await there.key('k'))).toBe('v');
      await there.clear();
      expect(await suite.client.get(await here.key('k'))).toBeUndefined();
      await other.close();
    });

    it('never resurrects keys of an older generation when memcached loses the token', async () => {
      const space = new ClearableNamespace(suite.client, 'evicted', { refresh: 0 });
      await suite.client.set(await space.key('old'), 'stale');
      await space.clear();
      await suite.client.delete('evicted:__generation'); // as if LRU-evicted
      const restarted = new ClearableNamespace(suite.client, 'evicted', { refresh: 0 });
      expect(await suite.client.get(await restarted.key('old'))).toBeUndefined();
    });

    it('a process that knows the generation keeps it when the token is evicted, and writes it back', async () => {
      const space = new ClearableNamespace(suite.client, 'kept', { refresh: 0 });
      await suite.client.set(await space.key('k'), 'still valid');
      const generation = await space.generation();
      await suite.client.delete('kept:__generation');
      expect(await suite.client.get(await space.key('k'))).toBe('still valid');
      await expect
        .poll(async () => String(await suite.client.get('kept:__generation', { raw: true })))
        .toBe(generation);
    });

    it('keeps the generation of a token written before tokens were ordered (a running deployment)', async () => {
      await suite.client.set('legacy:__generation', 'Ab3_-xYz', 0, { raw: true });
      const space = new ClearableNamespace(suite.client, 'legacy');
      expect(await space.key('k')).toBe('legacy:Ab3_-xYz:k');
      await space.clear();
      expect(await space.generation()).not.toBe('Ab3_-xYz');
      expect(String(await suite.client.get('legacy:__generation', { raw: true }))).toBe(await space.generation());
    });

    it('refuses a refresh that is not a finite number of milliseconds, 0 or more', () => {
      for (const refresh of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1000'])
        expect(() => new ClearableNamespace(suite.client, 'bad', { refresh: refresh as number })).toThrow(
          expect.objectContaining({ code: 'ERR_DALLI_INVALID_ARGUMENT' }),
        );
    });

    it('escapes keys, so "a" and "a " stay distinct', async () => {
      const space = new ClearableNamespace(suite.client, 'esc');
      await suite.client.set(await space.key('a'), 'no space');
      await suite.client.set(await space.key('a '), 'space');
      expect(await suite.client.get(await space.key('a'))).toBe('no space');
      expect(await suite.client.get(await space.key('a '))).toBe('space');
    });

    it('shares one token read among lookups issued together', async () => {
      const memcachedProxy = await startFaultProxy(suite.memcached);
      const proxied = new Client(memcachedProxy.address, { protocol });
      const space = new ClearableNamespace(proxied, 'batched', { refresh: 0 });
      await space.key('warm');
      const before = memcachedProxy.transcript.filter((entry) => entry.from === 'client').length;
      const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => space.key(`k${i}`)));
      expect(new Set(keys.map((key) => key.split(':')[1])).size).toBe(1);
      expect(memcachedProxy.transcript.filter((entry) => entry.from === 'client').length - before).toBe(1);
      await proxied.close();
      await memcachedProxy.close();
    });
  });

  describe('ClearableNamespace when no token replica answers', () => {
    it('keeps using the last generation read, and a clear fails with the typed failure', async () => {
      const front = await startFaultProxy(suite.memcached);
      const cache = new Client(front.address, { protocol, socketTimeout: 0.2, socketMaxFailures: 1 });
      const space = new ClearableNamespace(cache, 'unreachable', { refresh: 0 });
      const key = await space.key('k');
      front.set({ blackhole: true });
      expect(await space.key('k')).toBe(key);
      await expect(space.clear()).rejects.toMatchObject({
        code: expect.stringMatching(/^ERR_DALLI_(TIMEOUT|NO_SERVER)$/),
      });
      await cache.close();
      await front.close();
    });
  });
});

import { type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearableNamespace, Client } from '../../src/index.ts';
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

  describe('ClearableNamespace', () => {
    it('clears its own keys without flush_all, leaving other namespaces and plain keys alone', async () => {
      const mine = new ClearableNamespace(client, 'mine');
      const theirs = new ClearableNamespace(client, 'theirs');
      await client.set(await mine.key('a'), 1);
      await client.set(await theirs.key('a'), 2);
      await client.set('plain', 3);
      await mine.clear();
      expect(await client.get(await mine.key('a'))).toBeUndefined();
      expect(await client.get(await theirs.key('a'))).toBe(2);
      expect(await client.get('plain')).toBe(3);
      expect(Number((await client.stats())[memcached.address]?.cmd_flush)).toBe(0);
    });

    it('with refresh 0, sees a clear made by another process (another client) at its next operation', async () => {
      const other = new Client(memcached.address, { protocol });
      const here = new ClearableNamespace(client, 'shared', { refresh: 0 });
      const there = new ClearableNamespace(other, 'shared', { refresh: 0 });
      await client.set(await here.key('k'), 'v');
      expect(await other.get(await there.key('k'))).toBe('v');
      await there.clear();
      expect(await client.get(await here.key('k'))).toBeUndefined();
      await other.close();
    });

    it('never resurrects keys of an older generation when memcached loses the token', async () => {
      const space = new ClearableNamespace(client, 'evicted', { refresh: 0 });
      await client.set(await space.key('old'), 'stale');
      await space.clear();
      await client.delete('evicted:__generation'); // as if LRU-evicted
      const restarted = new ClearableNamespace(client, 'evicted', { refresh: 0 });
      expect(await client.get(await restarted.key('old'))).toBeUndefined();
    });

    it('a process that knows the generation keeps it when the token is evicted, and writes it back', async () => {
      const space = new ClearableNamespace(client, 'kept', { refresh: 0 });
      await client.set(await space.key('k'), 'still valid');
      const generation = await space.generation();
      await client.delete('kept:__generation');
      expect(await client.get(await space.key('k'))).toBe('still valid');
      await expect.poll(async () => String(await client.get('kept:__generation', { raw: true }))).toBe(generation);
    });

    it('keeps the generation of a token written before tokens were ordered (a running deployment)', async () => {
      await client.set('legacy:__generation', 'Ab3_-xYz', 0, { raw: true });
      const space = new ClearableNamespace(client, 'legacy');
      expect(await space.key('k')).toBe('legacy:Ab3_-xYz:k');
      await space.clear();
      expect(await space.generation()).not.toBe('Ab3_-xYz');
      expect(String(await client.get('legacy:__generation', { raw: true }))).toBe(await space.generation());
    });

    it('refuses a refresh that is not a finite number of milliseconds, 0 or more', () => {
      for (const refresh of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1000'])
        expect(() => new ClearableNamespace(client, 'bad', { refresh: refresh as number })).toThrow(
          expect.objectContaining({ code: 'ERR_DALLI_INVALID_ARGUMENT' }),
        );
    });

    it('escapes keys, so "a" and "a " stay distinct', async () => {
      const space = new ClearableNamespace(client, 'esc');
      await client.set(await space.key('a'), 'no space');
      await client.set(await space.key('a '), 'space');
      expect(await client.get(await space.key('a'))).toBe('no space');
      expect(await client.get(await space.key('a '))).toBe('space');
    });

    it('shares one token read among lookups issued together', async () => {
      const memcachedProxy = await startFaultProxy(memcached);
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
      const front = await startFaultProxy(memcached);
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

import { startMemcached } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError, ServerError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';
import { memcachedClient } from '../support/memcached-client.ts';

// The dialects run at once, each on its own memcached, so their TTL tests' real-time waits
// (memcached counts whole seconds) overlap; within a dialect the tests take turns, since a TTL of
// one second leaves no room for the latency of many tests at once.
describe.concurrent.each(DIALECTS)('%s protocol', (protocol) => {
  const suite = memcachedClient(protocol);

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  describe.sequential('get / set / add / replace / delete', () => {
    it('add stores only when the key is absent', async () => {
      expect(await suite.client.add('op:add', 'first')).toBe(true);
      expect(await suite.client.add('op:add', 'second')).toBe(false);
      expect(await suite.client.get('op:add')).toBe('first');
    });

    it('replace stores only when the key exists', async () => {
      expect(await suite.client.replace('op:replace', 'x')).toBe(false);
      expect(await suite.client.get('op:replace')).toBeUndefined();
      await suite.client.set('op:replace', 'old');
      expect(await suite.client.replace('op:replace', 'new')).toBe(true);
      expect(await suite.client.get('op:replace')).toBe('new');
    });

    it('delete reports whether the key was there', async () => {
      await suite.client.set('op:delete', 1);
      expect(await suite.client.delete('op:delete')).toBe(true);
      expect(await suite.client.delete('op:delete')).toBe(false);
    });
  });

  describe.sequential('gets and CAS writes', () => {
    it('gets returns the value with a bigint CAS token that changes on every write', async () => {
      await suite.client.set('op:cas', 'v1');
      const first = await suite.client.gets('op:cas');
      expect(first?.value).toBe('v1');
      expect(typeof first?.cas).toBe('bigint');
      await suite.client.set('op:cas', 'v2');
      const second = await suite.client.gets('op:cas');
      expect(second?.cas).not.toBe(first?.cas);
      expect(await suite.client.gets('op:cas:missing')).toBeUndefined();
    });

    it('set with a stale CAS token is refused with false; with the current one it stores', async () => {
      await suite.client.set('op:cas-set', 'original');
      const { cas } = (await suite.client.gets('op:cas-set')) as { cas: bigint };
      await suite.client.set('op:cas-set', 'someone else');
      expect(await suite.client.set('op:cas-set', 'mine', 0, { cas })).toBe(false);
      const current = (await suite.client.gets('op:cas-set')) as { cas: bigint };
      expect(await suite.client.set('op:cas-set', 'mine', 0, { cas: current.cas })).toBe(true);
      expect(await suite.client.get('op:cas-set')).toBe('mine');
    });

    it('replace honours a CAS token', async () => {
      await suite.client.set('op:cas-r', 'a');
      const { cas } = (await suite.client.gets('op:cas-r')) as { cas: bigint };
      expect(await suite.client.replace('op:cas-r', 'b', 0, { cas: cas + 1n })).toBe(false);
      expect(await suite.client.replace('op:cas-r', 'b', 0, { cas })).toBe(true);
      expect(await suite.client.get('op:cas-r')).toBe('b');
    });

    // The text protocol has no conditional delete: there it is refused before anything is sent.
    it('delete honours a CAS token, or is refused where the dialect has no conditional delete', async () => {
      await suite.client.set('op:cas-d', 'a');
      const { cas } = (await suite.client.gets('op:cas-d')) as { cas: bigint };
      if (protocol === 'text') {
        const error = await suite.client.delete('op:cas-d', { cas }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect((error as InvalidArgumentError).message).toMatch(/needs protocol 'binary' or 'meta'/);
        expect(await suite.client.get('op:cas-d')).toBe('a');
        return;
      }
      await suite.client.set('op:cas-d', 'b');
      const fresh = (await suite.client.gets('op:cas-d')) as { cas: bigint };
      expect(await suite.client.delete('op:cas-d', { cas })).toBe(false);
      expect(await suite.client.delete('op:cas-d', { cas: fresh.cas })).toBe(true);
    });
  });

  describe.sequential('cas (read-modify-write)', () => {
    it('updates the value through the callback and resolves true', async () => {
      await suite.client.set('op:rmw', { count: 1 });
      expect(await suite.client.cas('op:rmw', (value) => ({ count: (value as { count: number }).count + 1 }))).toBe(
        true,
      );
      expect(await suite.client.get('op:rmw')).toEqual({ count: 2 });
    });

    it('resolves undefined, without calling back, when the key is absent', async () => {
      let called = false;
      expect(
        await suite.client.cas('op:rmw:absent', () => {
          called = true;
        }),
      ).toBeUndefined();
      expect(called).toBe(false);
    });

    it('retries when another writer wins the race, and applies every increment exactly once', async () => {
      await suite.client.set('op:rmw:race', 0);
      const racers = Array.from({ length: 10 }, () =>
        suite.client.cas('op:rmw:race', async (value) => (value as number) + 1, { maxAttempts: 100 }),
      );
      expect(await Promise.all(racers)).toEqual(new Array(10).fill(true));
      expect(await suite.client.get('op:rmw:race')).toBe(10);
    });

    it('gives up with false after maxAttempts lost races', async () => {
      await suite.client.set('op:rmw:lose', 0);
      const result = await suite.client.cas(
        'op:rmw:lose',
        async (value) => {
          await suite.client.set('op:rmw:lose', (value as number) + 100); // always changed behind its back
          return -1;
        },
        { maxAttempts: 2 },
      );
      expect(result).toBe(false);
      expect(await suite.client.get('op:rmw:lose')).toBe(200);
    });

    it('applies the TTL given before the callback', async () => {
      await suite.client.set('op:rmw:ttl', 'a');
      await suite.client.cas('op:rmw:ttl', 1, () => 'b');
      expect(await suite.client.get('op:rmw:ttl')).toBe('b');
      await sleep(2_100);
      expect(await suite.client.get('op:rmw:ttl')).toBeUndefined();
    });
  });

  describe.sequential('fetch', () => {
    it('computes and stores on a miss, then serves the stored value without computing', async () => {
      let calls = 0;
      const compute = async (): Promise<{ n: number }> => ({ n: ++calls });
      expect(await suite.client.fetch('op:fetch', compute)).toEqual({ n: 1 });
      expect(await suite.client.fetch('op:fetch', compute)).toEqual({ n: 1 });
      expect(calls).toBe(1);
    });

    it('uses add, so a value stored meanwhile by someone else wins', async () => {
      const result = await suite.client.fetch('op:fetch:race', 60, async () => {
        await suite.client.set('op:fetch:race', 'theirs');
        return 'mine';
      });
      expect(result).toBe('mine');
      expect(await suite.client.get('op:fetch:race')).toBe('theirs');
    });

    it('returns but does not store an undefined result', async () => {
      expect(await suite.client.fetch('op:fetch:undefined', () => undefined)).toBeUndefined();
      expect(await suite.client.get('op:fetch:undefined')).toBeUndefined();
    });
  });

  describe.sequential('incr / decr', () => {
    it('without an initial value, a missing counter resolves undefined and is not created', async () => {
      expect(await suite.client.incr('op:counter:none')).toBeUndefined();
      expect(await suite.client.get('op:counter:none')).toBeUndefined();
    });

    it('with an initial value, creates the counter holding it, then counts', async () => {
      expect(await suite.client.incr('op:counter', 5, 0, 10)).toBe(10n);
      expect(await suite.client.incr('op:counter', 5)).toBe(15n);
      expect(await suite.client.decr('op:counter', 3n)).toBe(12n);
      expect(await suite.client.get('op:counter')).toBe('12');
    });

    it('decr stops at zero', async () => {
      await suite.client.set('op:counter:floor', '2', 0, { raw: true });
      expect(await suite.client.decr('op:counter:floor', 5)).toBe(0n);
    });

    it('counts up to 64 bits', async () => {
      await suite.client.set('op:counter:big', '18446744073709551614', 0, { raw: true });
      expect(await suite.client.incr('op:counter:big')).toBe(18446744073709551615n);
    });

    it('applies the TTL only when the counter is created', async () => {
      expect(await suite.client.incr('op:counter:ttl', 1, 1, 0)).toBe(0n);
      await sleep(2_100);
      expect(await suite.client.get('op:counter:ttl')).toBeUndefined();
    });

    it('fails with a ServerError on a value that is not a number', async () => {
      await suite.client.set('op:counter:text', 'abc', 0, { raw: true });
      const error = await suite.client.incr('op:counter:text').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect((error as ServerError).reason).toBe('nonNumeric');
    });
  });

  describe.sequential('append / prepend', () => {
    it('extend a raw value and report false for a missing key', async () => {
      await suite.client.set('op:concat', 'middle', 0, { raw: true });
      expect(await suite.client.append('op:concat', '>')).toBe(true);
      expect(await suite.client.prepend('op:concat', Buffer.from('<'))).toBe(true);
      expect(await suite.client.get('op:concat')).toBe('<middle>');
      expect(await suite.client.append('op:concat:missing', 'x')).toBe(false);
    });
  });

  describe.sequential('touch / gat', () => {
    it('touch extends the TTL and reports false for a missing key', async () => {
      await suite.client.set('op:touch', 'v', 1);
      expect(await suite.client.touch('op:touch', 10)).toBe(true);
      await sleep(2_100);
      expect(await suite.client.get('op:touch')).toBe('v');
      expect(await suite.client.touch('op:touch:missing', 10)).toBe(false);
    });

    it('gat reads the value and sets the new TTL in one request', async () => {
      await suite.client.set('op:gat', { a: 1 }, 100);
      expect(await suite.client.gat('op:gat', 1)).toEqual({ a: 1 });
      await sleep(2_100);
      expect(await suite.client.get('op:gat')).toBeUndefined();
      expect(await suite.client.gat('op:gat:missing', 10)).toBeUndefined();
    });
  });

  describe.sequential('gats', () => {
    it('reads the value with its CAS token and sets the new TTL in one request', async () => {
      const meta = new Client(suite.memcached.address, { protocol: 'meta' });
      try {
        await suite.client.set('op:gats', { a: 1 }, 100);
        const read = await suite.client.gats('op:gats', 5_000);
        expect(read?.value).toEqual({ a: 1 });
        expect(read?.cas).toBe((await suite.client.gets('op:gats'))?.cas);
        // The new TTL, seen through meta's item metadata: no waiting for an expiry.
        expect((await meta.getWithMetadata('op:gats'))?.ttl).toBeGreaterThan(100);
        expect(await suite.client.set('op:gats', 'mine', 0, { cas: read?.cas })).toBe(true);
        expect(await suite.client.gats('op:gats:missing', 10)).toBeUndefined();
      } finally {
        await meta.close();
      }
    });
  });

  describe.sequential('server-wide operations', () => {
    it('stats returns general statistics and groups by server', async () => {
      const stats = await suite.client.stats();
      expect(Object.keys(stats)).toEqual([suite.memcached.address]);
      expect(Number(stats[suite.memcached.address]?.pid)).toBe(suite.memcached.pid);
      const settings = await suite.client.stats('settings');
      expect(settings[suite.memcached.address]?.maxconns).toBe('1024');
      const items = await suite.client.stats('items');
      expect(Object.keys(items[suite.memcached.address] ?? {}).some((name) => name.startsWith('items:'))).toBe(true);
      const slabs = await suite.client.stats('slabs');
      expect(slabs[suite.memcached.address]?.active_slabs).toBeDefined();
    });

    it('stats refuses a group name that is not one', async () => {
      await expect(suite.client.stats('no such\ngroup')).rejects.toMatchObject({ code: 'ERR_DALLI_INVALID_ARGUMENT' });
    });

    it('noop resolves once every server answers', async () => {
      await expect(suite.client.noop()).resolves.toBeUndefined();
    });

    it('flush invalidates everything', async () => {
      const own = await startMemcached();
      const flushing = new Client(own.address, { protocol });
      await flushing.set('op:flush', 1);
      expect(await flushing.flush()).toEqual({ [own.address]: true });
      expect(await flushing.get('op:flush')).toBeUndefined();
      await flushing.set('op:flush:later', 1);
      await flushing.flush(1); // one server: it is flushed at once, as the first in Dalli's stagger
      expect(await flushing.get('op:flush:later')).toBeUndefined();
      await flushing.close();
      await own.stop();
    });
  });
});

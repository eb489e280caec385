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

    it('sees a clear made by another process (another client) at once', async () => {
      const other = new Client(memcached.address, { protocol });
      const here = new ClearableNamespace(client, 'shared');
      const there = new ClearableNamespace(other, 'shared');
      await client.set(await here.key('k'), 'v');
      expect(await other.get(await there.key('k'))).toBe('v');
      await there.clear();
      expect(await client.get(await here.key('k'))).toBeUndefined();
      await other.close();
    });

    it('never resurrects old keys when memcached loses the generation token', async () => {
      const space = new ClearableNamespace(client, 'evicted');
      await client.set(await space.key('old'), 'stale');
      await client.delete('evicted:__generation'); // as if LRU-evicted
      expect(await client.get(await space.key('old'))).toBeUndefined();
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
      const space = new ClearableNamespace(proxied, 'batched');
      await space.key('warm');
      const before = memcachedProxy.transcript.filter((entry) => entry.from === 'client').length;
      const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => space.key(`k${i}`)));
      expect(new Set(keys.map((key) => key.split(':')[1])).size).toBe(1);
      expect(memcachedProxy.transcript.filter((entry) => entry.from === 'client').length - before).toBe(1);
      await proxied.close();
      await memcachedProxy.close();
    });
  });

  describe('ClearableNamespace when the token server is unreachable', () => {
    it('keeps using the last token read, so keys on the other servers stay readable', async () => {
      const { startFaultProxy: proxyFor } = await import('@dalli/test-utils');
      const other = await startMemcached();
      const front = await proxyFor(memcached);
      const cluster = new Client([front.address, other.address], {
        protocol,
        failover: false,
        socketTimeout: 0.2,
        socketMaxFailures: 1,
      });
      // A namespace whose token lives behind the proxy (ports vary between runs, so search for one).
      let name = '';
      for (let i = 0; cluster.locate(`${name}:__generation`).server !== front.address; i++) name = `resilient-${i}`;
      const space = new ClearableNamespace(cluster, name);
      const tokenServer = front.address;
      // A key that lives on the other server, whatever the generation is.
      const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
      const onOther = [];
      for (const key of keys) if (cluster.locate(await space.key(key)).server !== tokenServer) onOther.push(key);
      const key = onOther[0] as string;
      await cluster.set(await space.key(key), 'still here');
      front.set({ blackhole: true });
      await new Promise((resolve) => setImmediate(resolve));
      expect(await cluster.get(await space.key(key))).toBe('still here');
      await expect(space.clear()).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
      await cluster.close();
      await front.close();
      await other.stop();
    });
  });
});

import { connect } from 'node:net';
import { Client, type ProtocolName } from '@dalli/core';
import { type MemcachedProcess, serverTime, startMemcached } from '@dalli/test-utils';
import { createStorage, type Storage } from 'unstorage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dalliDriver } from '../src/index.ts';

let memcached: MemcachedProcess;
const clients: Client[] = [];
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await memcached.stop();
});

function storageOn(protocol: ProtocolName, base: string, ttl?: number): Storage {
  const client = new Client(memcached.address, { protocol });
  clients.push(client);
  return createStorage({ driver: dalliDriver({ servers: client, base, ...(ttl === undefined ? {} : { ttl }) }) });
}

/**
 * Seconds left of every item whose memcached key ends with `:<suffix>`, from memcached's own
 * `lru_crawler metadump` (independent of the driver's key layout and of @dalli/core); -1: never expires.
 */
async function serverTtls(suffix: string): Promise<number[]> {
  const [dump, now] = await Promise.all([metadump(memcached.address), serverTime(memcached.address)]);
  return [...dump.matchAll(/^key=(\S+) exp=(-?\d+)/gm)]
    .filter(([, key]) => decodeURIComponent(key as string).endsWith(`:${suffix}`))
    .map(([, , exp]) => (Number(exp) === -1 ? -1 : Number(exp) - now));
}

function metadump(address: string): Promise<string> {
  const colon = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(address.slice(colon + 1)), address.slice(0, colon));
    let text = '';
    socket.once('connect', () => socket.write('lru_crawler metadump all\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (!text.endsWith('END\r\n')) return;
      socket.destroy();
      resolve(text);
    });
    socket.once('error', reject);
  });
}

describe.each(['binary', 'meta', 'text'] satisfies ProtocolName[])('TTLs (%s)', (protocol) => {
  it("a write's ttl option (seconds) becomes the item's TTL, the driver's ttl is the default, 0 never expires", async () => {
    const storage = storageOn(protocol, `ttl-${protocol}`, 300);
    await storage.setItem(`short-${protocol}`, 'x', { ttl: 60 });
    await storage.setItem(`default-${protocol}`, 'x');
    await storage.setItem(`forever-${protocol}`, 'x', { ttl: 0 });
    await storage.setItemRaw(`raw-${protocol}`, new Uint8Array([1]), { ttl: 90 });
    await storage.setItems(
      [
        { key: `batch-a-${protocol}`, value: 1, options: { ttl: 30 } },
        { key: `batch-b-${protocol}`, value: 2 },
      ],
      { ttl: 120 },
    );
    expect(await serverTtls(`short-${protocol}`)).toEqual([expect.toBeOneOf([59, 60])]);
    expect(await serverTtls(`default-${protocol}`)).toEqual([expect.toBeOneOf([299, 300])]);
    expect(await serverTtls(`forever-${protocol}`)).toEqual([-1]);
    expect(await serverTtls(`raw-${protocol}`)).toEqual([expect.toBeOneOf([89, 90])]);
    expect(await serverTtls(`batch-a-${protocol}`)).toEqual([expect.toBeOneOf([29, 30])]);
    expect(await serverTtls(`batch-b-${protocol}`)).toEqual([expect.toBeOneOf([119, 120])]);
  });
});

describe('getMeta', () => {
  it('reports the seconds left and the last access in the meta protocol', async () => {
    const storage = storageOn('meta', 'meta-meta');
    const before = Date.now();
    await storage.setItem('item', 'x', { ttl: 60 });
    const meta = await storage.getMeta('item');
    expect(meta.ttl).toBeOneOf([59, 60]);
    expect(meta.ttl).toBe((await serverTtls('item'))[0]);
    expect(meta.atime).toBeInstanceOf(Date);
    expect(meta.atime?.getTime()).toBeGreaterThanOrEqual(before - 2_000);
    expect(meta.atime?.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('has no ttl for an item that never expires, and nothing for a miss', async () => {
    const storage = storageOn('meta', 'meta-forever');
    await storage.setItem('forever', 'x', { ttl: 0 });
    expect(await storage.getMeta('forever')).not.toHaveProperty('ttl');
    expect(await storage.getMeta('missing')).toEqual({});
  });

  it.each(['binary', 'text'] satisfies ProtocolName[])(
    'reports nothing in the %s protocol, which has no item metadata, and stays usable',
    async (protocol) => {
      const storage = storageOn(protocol, `meta-${protocol}`);
      await storage.setItem('item', 'x', { ttl: 60 });
      expect(await storage.getMeta('item')).toEqual({});
      expect(await storage.getMeta('item')).toEqual({});
      expect(await storage.getItem('item')).toBe('x');
    },
  );

  it('keeps metadata that the app stored with setMeta', async () => {
    const storage = storageOn('meta', 'meta-app');
    await storage.setItem('doc', 'x', { ttl: 60 });
    await storage.setMeta('doc', { author: 'Gala' });
    expect(await storage.getMeta('doc')).toMatchObject({ author: 'Gala', ttl: expect.toBeOneOf([59, 60]) });
  });
});

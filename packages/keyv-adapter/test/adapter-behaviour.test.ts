import { ClearableNamespace, Client } from '@dalli/core';
import { itemTtl, itemTtlAfter, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import Keyv5 from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyvDalli, KeyvDalliV5 } from '../src/index.ts';

let memcached: MemcachedProcess;
let raw: Client;
const DAY = 86_400;

beforeAll(async () => {
  memcached = await startMemcached();
  raw = new Client(memcached.address);
});
afterAll(async () => {
  await raw.close();
  await memcached.stop();
});

/** What these tests use of a Keyv, whichever its generation. */
interface Store {
  set(key: string, value: unknown, ttl?: number): Promise<boolean>;
  get(key: string): Promise<unknown>;
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;
  disconnect(): Promise<void>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/** Both Keyv generations, each with its adapter, and how the adapter names a key on the wire. */
const generations = [
  {
    name: 'Keyv 6 + KeyvDalli',
    make: (namespace: string, servers = memcached.address, options = {}): Store =>
      new Keyv6({ store: new KeyvDalli(servers, options), namespace }) as unknown as Store,
    wireKey: (namespace: string, key: string) => new ClearableNamespace(raw, namespace).key(key),
  },
  {
    name: 'Keyv 5 + KeyvDalliV5',
    make: (namespace: string, servers = memcached.address, options = {}): Store =>
      new Keyv5({ store: new KeyvDalliV5(servers, options), namespace, throwOnErrors: true }) as unknown as Store,
    // Keyv 5 prefixes keys with its namespace before the store sees them.
    wireKey: (namespace: string, key: string) => new ClearableNamespace(raw, namespace).key(`${namespace}:${key}`),
  },
];

describe.each(generations)('$name', ({ make, wireKey }) => {
  it.each([
    ['1 ms', 2, 1],
    ['500 ms', 2, 500],
    ['999 ms', 2, 999],
    ['1 s', 2, 1_000],
    ['1.5 s', 3, 1_500],
    ['30 days - 1 s', 30 * DAY, (30 * DAY - 1) * 1000],
    ['30 days', 30 * DAY + 1, 30 * DAY * 1000],
    ['365 days', 365 * DAY + 1, 365 * DAY * 1000],
  ])(
    'a TTL of %s lives %i s in memcached (rounded up, plus one tick of its clock, so never shorter than asked; long ones as a date)',
    async (_, seconds, ttl) => {
      const store = make('ttl');
      const left = await itemTtlAfter(
        memcached.address,
        () => wireKey('ttl', 't'),
        () => store.set('t', 'v', ttl),
      );
      // Keyv 6 hands the adapter an absolute expiry: when a millisecond has passed by then, a 1 ms
      // entry is already expired and is deleted rather than written. Either way, never kept forever.
      if (ttl === 1) expect([seconds, undefined]).toContain(left);
      else if (seconds <= 30 * DAY) expect(left).toBe(seconds);
      else {
        // A date is whole Unix seconds from this clock, read against memcached's own: ±1.
        expect(left).toBeGreaterThanOrEqual(seconds - 1);
        expect(left).toBeLessThanOrEqual(seconds + 1);
      }
      await store.disconnect();
    },
  );

  it('stores an entry without a TTL with no expiry', async () => {
    const store = make('forever');
    await store.set('f', 'v');
    expect(await itemTtl(memcached.address, await wireKey('forever', 'f'))).toBe(-1);
    await store.disconnect();
  });

  it('keeps "a" and "a " apart', async () => {
    const store = make('spaces');
    await store.set('a', 'no space');
    await store.set('a ', 'trailing space');
    expect(await store.get('a')).toBe('no space');
    expect(await store.get('a ')).toBe('trailing space');
    await store.disconnect();
  });

  it("clear() leaves another namespace and a raw client's keys alive, and never flushes", async () => {
    const mine = make('mine');
    const theirs = make('theirs');
    await mine.set('k', 'mine');
    await theirs.set('k', 'theirs');
    await raw.set('foreign', 'raw client value');
    await mine.clear();
    expect(await mine.get('k')).toBeUndefined();
    expect(await theirs.get('k')).toBe('theirs');
    expect(await raw.get('foreign')).toBe('raw client value');
    expect((await raw.stats())[memcached.address]?.cmd_flush).toBe('0');
    await mine.disconnect();
    await theirs.disconnect();
  });

  it("stores Keyv's serialized string verbatim", async () => {
    const store = make('verbatim');
    await store.set('k', { nested: ['x'] });
    const stored = await raw.get(await wireKey('verbatim', 'k'), { raw: true });
    expect(JSON.parse(String(stored))).toMatchObject({ value: { nested: ['x'] } });
    await store.disconnect();
  });

  it('surfaces errors while the server is down, as rejections and as error events', async () => {
    const down = await startMemcached();
    const store = make('down', down.address, { socketTimeout: 0.2 });
    await store.set('k', 'v');
    await down.stop();
    const rejected = await Promise.allSettled([store.get('k'), store.set('k', 'w'), store.delete('k')]);
    expect(rejected.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const result of rejected) {
      expect((result as PromiseRejectedResult).reason.code).toMatch(/^ERR_DALLI_/);
    }
    const errors: unknown[] = [];
    store.on('error', (error) => errors.push(error));
    await store.get('k').catch(() => undefined);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect((errors[0] as { code: string }).code).toMatch(/^ERR_DALLI_/);
    await store.disconnect();
  });
});

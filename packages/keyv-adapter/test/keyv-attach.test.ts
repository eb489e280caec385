import { InvalidArgumentError } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import Keyv5 from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyvDalli, KeyvDalliV5 } from '../src/index.ts';

let memcached: MemcachedProcess;
const adapters: { disconnect(): Promise<void> }[] = [];

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await Promise.all(adapters.map((adapter) => adapter.disconnect()));
  await memcached.stop();
});

function kept<T extends { disconnect(): Promise<void> }>(adapter: T): T {
  adapters.push(adapter);
  return adapter;
}

/** What these tests use of either Keyv. */
interface AnyKeyv {
  namespace: string | undefined;
  set(key: string, value: unknown, ttl?: number): Promise<unknown>;
  get(key: string): Promise<unknown>;
}

const pairings: {
  name: string;
  adapter: () => KeyvDalli | KeyvDalliV5;
  keyv: (store: unknown, namespace: string) => AnyKeyv;
}[] = [
  {
    name: 'Keyv 6 with KeyvDalli',
    adapter: () => kept(new KeyvDalli(memcached.address)),
    keyv: (store, namespace) => new Keyv6({ store, namespace }) as AnyKeyv,
  },
  {
    name: 'Keyv 5 with KeyvDalliV5',
    adapter: () => kept(new KeyvDalliV5(memcached.address)),
    keyv: (store, namespace) => new Keyv5({ store: store as KeyvDalliV5, namespace }) as AnyKeyv,
  },
];

describe.each(pairings)('$name: the app listens for the adapter’s errors itself', ({ adapter, keyv }) => {
  it('accepts the one Keyv built after the app’s own error listener, and it stores and reads', async () => {
    const store = adapter();
    const seen: unknown[] = [];
    store.on('error', (error: unknown) => seen.push(error));
    const cache = keyv(store, 'own-listener');
    await cache.set('k', { v: 1 }, 60_000);
    expect(await cache.get('k')).toEqual({ v: 1 });
    expect(seen).toEqual([]);
  });

  it('accepts it when the app’s listener was added in an earlier turn, and lets that Keyv change its namespace', async () => {
    const store = adapter();
    store.on('error', () => {});
    await Promise.resolve();
    const cache = keyv(store, 'first');
    cache.namespace = 'second';
    await cache.set('k', 'in second');
    expect(await cache.get('k')).toBe('in second');
  });

  it('still refuses a second Keyv with another namespace, whatever listeners the app added', () => {
    const store = adapter();
    store.on('error', () => {});
    keyv(store, 'one');
    store.on('error', () => {});
    expect(() => keyv(store, 'two')).toThrow(InvalidArgumentError);
    expect(() => keyv(store, 'two')).toThrow(/already serves the Keyv namespace "one"/);
  });

  it('forgets a refused Keyv: the first one may still change its namespace', async () => {
    const store = adapter();
    const first = keyv(store, 'one');
    expect(() => keyv(store, 'two')).toThrow(InvalidArgumentError);
    first.namespace = 'renamed';
    await first.set('k', 'v');
    expect(await first.get('k')).toBe('v');
  });
});

describe('KeyvDalli (the Keyv 6 adapter) given to Keyv 5', () => {
  it('is refused when the Keyv is built, naming KeyvDalliV5, instead of storing nothing for every set with a TTL', () => {
    const store = kept(new KeyvDalli(memcached.address));
    const attempt = () => new Keyv5({ store: store as never, namespace: 'wrong-pair' });
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(/KeyvDalli is the adapter for Keyv 6.*KeyvDalliV5/s);
  });

  it('is refused by Keyv 5 without a namespace too', () => {
    const store = kept(new KeyvDalli(memcached.address));
    expect(() => new Keyv5({ store: store as never, namespace: '' })).toThrow(/KeyvDalliV5/);
  });

  it('Keyv 6 without a namespace is still accepted', async () => {
    const cache = new Keyv6({ store: kept(new KeyvDalli(memcached.address)) });
    await cache.set('no-namespace', 1, 60_000);
    expect(await cache.get('no-namespace')).toBe(1);
  });
});

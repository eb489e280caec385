import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import Keyv5 from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyvDalli, KeyvDalliV5 } from '../src/index.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;
beforeAll(async () => {
  memcached = await startMemcached();
  proxy = await startFaultProxy(memcached);
});
afterAll(async () => {
  await proxy.close();
  await memcached.stop();
});

/** How many separate writes the client made while `operation` ran: one per round trip. */
async function writesDuring(operation: () => Promise<unknown>): Promise<number> {
  const before = proxy.clientChunks;
  await operation();
  return proxy.clientChunks - before;
}

interface Store {
  set(key: string, value: unknown): Promise<unknown>;
  get(key: string): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  clear(): Promise<void>;
  disconnect(): Promise<void>;
}

describe.each([
  ['Keyv 6', (servers: string) => new Keyv6({ store: new KeyvDalli(servers), namespace: 'rt' }) as unknown as Store],
  [
    'Keyv 5',
    (servers: string) =>
      new Keyv5({ store: new KeyvDalliV5(servers), namespace: 'rt', throwOnErrors: true }) as unknown as Store,
  ],
])('%s: one round trip per operation', (_, make) => {
  it('get, set and delete each make one write once the namespace is known', async () => {
    const keyv = make(proxy.address);
    await keyv.set('warm', 1);
    expect(await writesDuring(() => keyv.set('k', 'v'))).toBe(1);
    expect(await writesDuring(() => keyv.get('k'))).toBe(1);
    expect(await writesDuring(() => keyv.delete('k'))).toBe(1);
    await keyv.disconnect();
  });

  it("sees another process's clear() once the namespace's refresh (1 s) has passed", async () => {
    const mine = make(proxy.address);
    const theirs = make(memcached.address);
    await mine.set('k', 'before');
    expect(await mine.get('k')).toBe('before');
    await theirs.clear();
    await new Promise((resolve) => setTimeout(resolve, 1_005));
    expect(await mine.get('k')).toBeUndefined();
    await mine.set('k', 'after');
    expect(await theirs.get('k')).toBe('after');
    await Promise.all([mine.disconnect(), theirs.disconnect()]);
  });
});

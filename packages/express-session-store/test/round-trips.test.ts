import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import type { SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;
let store: DalliSessionStore;
beforeAll(async () => {
  memcached = await startMemcached();
  proxy = await startFaultProxy(memcached);
  store = new DalliSessionStore({ servers: proxy.address });
  await store.set('warm', data); // creates the generation token: a one-time cost
});
afterAll(async () => {
  await store.close();
  await proxy.close();
  await memcached.stop();
});

const data = { cookie: { originalMaxAge: null, expires: null }, user: 'ada' } as unknown as SessionData;

/** How many separate writes the client made while `operation` ran: one per round trip. */
async function writesDuring(operation: () => Promise<unknown>): Promise<number> {
  const before = proxy.clientChunks;
  await operation();
  return proxy.clientChunks - before;
}

describe('one round trip per session operation', () => {
  it('get: the session and the generation token in one write', async () => {
    await store.set('sid-rt', data);
    expect(await writesDuring(() => store.get('sid-rt'))).toBe(1);
  });

  it('set after get (a request that changed its session)', async () => {
    await store.get('sid-rt');
    expect(await writesDuring(() => store.set('sid-rt', { ...data, count: 2 } as SessionData))).toBe(1);
  });

  it('touch and destroy', async () => {
    expect(await writesDuring(() => store.touch('sid-rt', data))).toBe(1);
    expect(await writesDuring(() => store.destroy('sid-rt'))).toBe(1);
  });
});

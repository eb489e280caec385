import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import session, { type SessionData } from 'express-session';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';
import { sessionApp } from './app.ts';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const expiringIn = (ms: number): SessionData =>
  ({ cookie: { originalMaxAge: ms, expires: new Date(Date.now() + ms) }, user: 'ada' }) as unknown as SessionData;

// Each test has its own store, app and session ids, so their real-time waits run side by side.
describe.concurrent('an active session stays alive (resave: false, touch instead of save)', () => {
  it.each([
    ['MemoryStore (express-session, the reference)', () => new session.MemoryStore()],
    ['DalliSessionStore', () => new DalliSessionStore({ servers: memcached.address })],
  ])('%s: a user reading every second keeps a 3 s session for 5 s', async (_, makeStore) => {
    const store = makeStore();
    const agent = request.agent(
      sessionApp(5, store as DalliSessionStore, { rolling: true, cookie: { maxAge: 3_000 } }),
    );
    await agent.get('/login?user=ada').expect(200);
    const seen: (string | null)[] = [];
    // Reads a second apart leave two seconds of slack for a slow machine; five of them outlive the maxAge.
    for (let read = 0; read < 5; read++) {
      await sleep(1_000);
      seen.push((await agent.get('/whoami').expect(200)).body.user);
    }
    expect(seen).toEqual(['ada', 'ada', 'ada', 'ada', 'ada']);
    if (store instanceof DalliSessionStore) await store.close();
  });

  it('serves a touched session after the expiry its last save recorded', async () => {
    const store = new DalliSessionStore({ servers: memcached.address });
    await store.set('sid-touched', expiringIn(1_000));
    await store.touch('sid-touched', expiringIn(4_000));
    await sleep(2_100);
    expect(await store.get('sid-touched')).toMatchObject({ user: 'ada' });
    await store.close();
  });
});

import { createRequire } from 'node:module';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import session from 'express-session';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';
import { sessionApp, sessionIdFrom } from './app.ts';

// The real connect-memcached 3.0.0 (over memcached@2.2.2), pinned as a dev dependency.
const require = createRequire(import.meta.url);
type StoreClass = new (options: object) => session.Store & { client: { end(): void } };
const MemcachedStore = (require('connect-memcached') as (module: typeof session) => StoreClass)(session);

let servers: MemcachedProcess[];
const addresses = (): string[] => servers.map((server) => server.address);

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 3 }, () => startMemcached()));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** Signs users in through an app on connect-memcached, then closes its store. */
async function signInThroughConnectMemcached(prefix: string | undefined, users: string[]) {
  const legacy = new MemcachedStore({ hosts: addresses(), prefix, retries: 0 });
  try {
    const app = sessionApp(5, legacy as never);
    return await Promise.all(
      users.map(async (user) => {
        const login = await request(app).get(`/login?user=${user}`).expect(200);
        const setCookie = login.headers['set-cookie'] as unknown as string[];
        const cookie = setCookie.map((line) => line.split(';')[0]).join('; ');
        await request(app).get('/count').set('Cookie', cookie).expect(200);
        return { user, cookie, sid: sessionIdFrom(setCookie) };
      }),
    );
  } finally {
    legacy.client.end();
  }
}

describe('migrating from connect-memcached 3', () => {
  it.each([undefined, 'sess-legacy:'])(
    'keeps users signed in when the app switches to DalliSessionStore (prefix %s, 3 servers)',
    async (prefix) => {
      const users = Array.from({ length: 12 }, (_, i) => `user-${i}`);
      const signedIn = await signInThroughConnectMemcached(prefix, users);
      const store = new DalliSessionStore({ servers: addresses(), connectMemcached: { prefix } });
      try {
        const app = sessionApp(5, store);
        const get = (path: string, cookie: string) => request(app).get(path).set('Cookie', cookie).expect(200);
        for (const { user, cookie, sid } of signedIn) {
          expect((await get('/whoami', cookie)).body).toEqual({ user, count: 1 });
          // Saved as our record: later requests read it, and changes land in it.
          expect(await store.get(sid)).toMatchObject({ user, count: 1 });
          expect((await get('/count', cookie)).body).toEqual({ count: 2, user });
          expect((await get('/whoami', cookie)).body).toEqual({ user, count: 2 });
        }
      } finally {
        await store.close();
      }
    },
  );

  it('without the option, the connect-memcached session is not found (the option is what keeps users in)', async () => {
    const [signedIn] = await signInThroughConnectMemcached(undefined, ['alice']);
    const store = new DalliSessionStore({ servers: addresses() });
    try {
      const response = await request(sessionApp(5, store))
        .get('/whoami')
        .set('Cookie', signedIn?.cookie ?? '')
        .expect(200);
      expect(response.body.user).toBeNull();
    } finally {
      await store.close();
    }
  });
});

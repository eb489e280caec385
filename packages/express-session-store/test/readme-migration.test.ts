import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ProtocolName } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore, type DalliSessionStoreOptions } from '../src/index.ts';
import { sessionIdFrom, sessionRoutes } from './app.ts';

// The root README's "From connect-memcached" example, run as written: only its server address is
// replaced by the test server's, and the protocol under test is added to the store's client.
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = README.slice(README.indexOf('### From connect-memcached'));
const example = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
const [before = '', after = ''] = example.split('// after');
const ADDRESS = '127.0.0.1:11211';

const realRequire = createRequire(import.meta.url);
let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

/** Everything the example creates, closed after each test. */
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((resource) => resource.close()));
});

/** Runs one half of the example on a new Express 5 app and adds the test routes behind its session middleware. */
function runExample(code: string, protocol: ProtocolName, errors: unknown[] = []) {
  expect(code).toContain(`'${ADDRESS}'`);
  const modules: Record<string, unknown> = {
    'connect-memcached': (module: typeof session) => {
      const MemcachedStore = realRequire('connect-memcached')(module);
      return class extends MemcachedStore {
        constructor(options: object) {
          super(options);
          opened.push({ close: () => (this as unknown as { client: { end(): void } }).client.end() });
        }
      };
    },
    '@dalli/express-session': {
      DalliSessionStore: class extends DalliSessionStore {
        constructor(options: DalliSessionStoreOptions) {
          super({ ...options, clientOptions: { ...options.clientOptions, protocol } });
          opened.push(this);
        }
      },
    },
  };
  const app = express();
  const run = new Function('require', 'session', 'app', 'secret', code.replaceAll(ADDRESS, memcached.address));
  run((name: string) => modules[name], session, app, 'the README secret');
  return sessionRoutes(app, errors);
}

describe.each<ProtocolName>(['binary', 'meta', 'text'])(
  '%s: the README migration from connect-memcached',
  (protocol) => {
    /** Users signed in through the "before" app, on real connect-memcached 3, with one change each. */
    async function signInBefore(users: string[]) {
      const app = runExample(before, protocol);
      return Promise.all(
        users.map(async (user) => {
          const login = await request(app).get(`/login?user=${user}`).expect(200);
          const setCookie = login.headers['set-cookie'] as unknown as string[];
          const cookie = setCookie.map((line) => line.split(';')[0]).join('; ');
          await request(app).get('/count').set('Cookie', cookie).expect(200);
          return { user, cookie, sid: sessionIdFrom(setCookie) };
        }),
      );
    }

    it('keeps every user signed in on the "after" app, with their session, and later changes land', async () => {
      const signedIn = await signInBefore(['ada', 'grace', 'barbara']);
      const errors: unknown[] = [];
      const app = runExample(after, protocol, errors);
      for (const { user, cookie } of signedIn) {
        const get = (path: string) => request(app).get(path).set('Cookie', cookie).expect(200);
        expect((await get('/whoami')).body).toEqual({ user, count: 1 });
        expect((await get('/count')).body).toEqual({ count: 2, user });
        expect((await get('/whoami')).body).toEqual({ user, count: 2 });
      }
      expect(errors).toEqual([]);
    });

    it("without the migration option, connect-memcached's record under the same key is no session: the user signs in again", async () => {
      const [signedIn] = await signInBefore(['ada']);
      const store = new DalliSessionStore({ servers: memcached.address, prefix: 'sess:', clientOptions: { protocol } });
      opened.push(store);
      const errors: unknown[] = [];
      const app = express();
      app.use(session({ store, secret: 'the README secret', resave: false, saveUninitialized: false }));
      sessionRoutes(app, errors);
      const cookie = signedIn?.cookie ?? '';
      expect((await request(app).get('/whoami').set('Cookie', cookie).expect(200)).body.user).toBeNull();
      const login = await request(app).get('/login-and-save?user=ada').set('Cookie', cookie).expect(200);
      expect(sessionIdFrom(login.headers['set-cookie'])).not.toBe(signedIn?.sid);
      expect(errors).toEqual([]);
    });

    it("a save over connect-memcached's record under the same key, which this client cannot decode, replaces it", async () => {
      const [signedIn] = await signInBefore(['ada']);
      const sid = signedIn?.sid ?? '';
      const store = new DalliSessionStore({ servers: memcached.address, prefix: 'sess:', clientOptions: { protocol } });
      opened.push(store);
      const cookie = { originalMaxAge: null, expires: null };
      await store.set(sid, { cookie, user: 'saved over' } as never);
      expect(await store.get(sid)).toMatchObject({ user: 'saved over' });
    });
  },
);

import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProtocolName } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';
import { sessionApp, sessionIdFrom } from './app.ts';

/** As many requests on one session as a page firing its XHRs at once, and more. */
const PARALLEL = 50;

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

describe.each<ProtocolName>(['binary', 'meta', 'text'])('%s: parallel requests on one session', (protocol) => {
  let store: DalliSessionStore;
  let server: Server | undefined;
  afterEach(async () => {
    server?.close();
    server = undefined;
    await store.close();
  });

  /** A listening Express 5 app (one server for all requests), the errors it saw, and a signed-in user's cookie. */
  async function signedIn(resave: boolean) {
    store = new DalliSessionStore({ servers: memcached.address, clientOptions: { protocol } });
    const errors: unknown[] = [];
    server = sessionApp(5, store, { resave }, errors).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await request(url).get('/login-and-save?user=start').expect(200);
    const setCookie = login.headers['set-cookie'] as unknown as string[];
    const cookie = setCookie.map((line) => line.split(';')[0]).join('; ');
    const get = (path: string) => request(url).get(path).set('Cookie', cookie);
    return { url, errors, get, sid: sessionIdFrom(setCookie) };
  }

  /** Fires `paths` at once and returns the status of each answer. */
  async function inParallel(get: (path: string) => request.Test, paths: string[]): Promise<number[]> {
    return (await Promise.all(paths.map((path) => get(path)))).map((response) => response.status);
  }

  const users = Array.from({ length: PARALLEL }, (_, i) => `user-${i}`);

  it.each([false, true])(
    `${PARALLEL} requests that change the session all succeed, and one of their values is kept (resave: %s)`,
    async (resave) => {
      const { errors, get, sid } = await signedIn(resave);
      const statuses = await inParallel(
        get,
        users.map((user) => `/login-and-save?user=${user}`),
      );
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      expect(errors).toEqual([]);
      expect(users).toContain((await store.get(sid))?.user);
      expect(users).toContain((await get('/whoami').expect(200)).body.user);
    },
  );

  it(`${PARALLEL} read-only requests with resave: true all save without an error, and the session is unchanged`, async () => {
    const { errors, get, sid } = await signedIn(true);
    const statuses = await inParallel(
      get,
      users.map(() => '/whoami'),
    );
    // express-session ends each response only once its save has finished (and has passed a failed
    // save to the error handler), so every save is done here.
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(errors).toEqual([]);
    expect(await store.get(sid)).toMatchObject({ user: 'start' });
  });

  it('a save that starts after another has finished wins, although its request read the session first', async () => {
    store = new DalliSessionStore({ servers: memcached.address, clientOptions: { protocol } });
    const other = new DalliSessionStore({ servers: memcached.address, clientOptions: { protocol } });
    const cookie = { originalMaxAge: null, expires: null };
    await store.set('sid-sequential', { cookie, user: 'first' } as never);
    const read = await store.get('sid-sequential'); // the CAS token this save would write against
    await other.set('sid-sequential', { cookie, user: 'second' } as never);
    await store.set('sid-sequential', { ...read, user: 'third' } as never);
    expect(await other.get('sid-sequential')).toMatchObject({ user: 'third' });
    await other.close();
  });

  it('a logout racing with parallel saves wins: the session never comes back, and no request fails', async () => {
    const { errors, get, sid } = await signedIn(false);
    const paths = users.map((user) => `/login-and-save?user=${user}`);
    paths.splice(PARALLEL / 2, 0, '/logout');
    const statuses = await inParallel(get, paths);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(errors).toEqual([]);
    expect(await store.get(sid)).toBeNull();
    expect((await get('/whoami').expect(200)).body.user).toBeNull();
  });
});

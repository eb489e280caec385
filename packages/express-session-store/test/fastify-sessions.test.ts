import type { AddressInfo } from 'node:net';
import type { ProtocolName } from '@dalli/core';
import { freePort, itemTtl, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { Signer } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';
import { FASTIFY_COOKIE, FASTIFY_SECRET, fastifySessionApp, fastifySessionId } from './fastify-app.ts';

/** As many requests on one session as a page firing its XHRs at once, and more. */
const PARALLEL = 50;

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

describe.each<ProtocolName>(['binary', 'meta', 'text'])('%s: Fastify 5 + @fastify/session', (protocol) => {
  let store: DalliSessionStore;
  let app: FastifyInstance;
  let url: string;
  const errors: unknown[] = [];
  beforeAll(async () => {
    store = new DalliSessionStore({ servers: memcached.address, clientOptions: { protocol } });
    app = await fastifySessionApp(store, {}, errors);
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  /** Logs `user` in; the session's cookie, id, and a GET that sends the cookie. */
  async function login(user: string) {
    const response = await request(url).get(`/login?user=${user}`).expect(200);
    const setCookie = response.headers['set-cookie'] as unknown as string[];
    const cookie = setCookie.map((line) => line.split(';')[0]).join('; ');
    const get = (path: string) => request(url).get(path).set('Cookie', cookie);
    return { cookie, sid: fastifySessionId(setCookie), get };
  }

  it('a login is stored in memcached and read back on the next request', async () => {
    const { sid, get } = await login('gala');
    expect(await store.get(sid)).toMatchObject({ user: 'gala', cookie: { originalMaxAge: 60_000 } });
    expect((await get('/whoami').expect(200)).body).toEqual({ user: 'gala' });
    expect(errors).toEqual([]);
  });

  it('a visit without a session cookie stores nothing (saveUninitialized: false)', async () => {
    const response = await request(url).get('/whoami').expect(200);
    expect(response.body).toEqual({ user: null });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it("a rolling session's read-only request extends the session's life in memcached", async () => {
    const { sid, get } = await login('ada');
    await store.client.touch(store.keyOf(sid), 5);
    expect(await itemTtl(memcached.address, store.keyOf(sid))).toBeLessThanOrEqual(5);
    await get('/whoami').expect(200);
    // 60 s of cookie plus the store's one tick of memcached's clock.
    expect(await itemTtl(memcached.address, store.keyOf(sid))).toBeGreaterThanOrEqual(59);
    expect((await get('/whoami').expect(200)).body).toEqual({ user: 'ada' });
  });

  it('a logout destroys the session: its cookie no longer signs anyone in', async () => {
    const { sid, get } = await login('linus');
    expect((await get('/logout').expect(200)).body).toEqual({ out: true });
    expect(await store.get(sid)).toBeNull();
    expect((await get('/whoami').expect(200)).body).toEqual({ user: null });
  });

  it('a login from a signed-in session replaces its id, and the old id is gone', async () => {
    const first = await login('grace');
    const again = await first.get('/login?user=grace2').expect(200);
    const newSid = fastifySessionId(again.headers['set-cookie'] as unknown as string[]);
    expect(newSid).not.toBe(first.sid);
    expect(await store.get(first.sid)).toBeNull();
    expect(await store.get(newSid)).toMatchObject({ user: 'grace2' });
  });

  const users = Array.from({ length: PARALLEL }, (_, i) => `user-${i}`);

  it(`${PARALLEL} parallel requests that change the session all succeed, and one of their values is kept`, async () => {
    const { sid, get } = await login('start');
    const statuses = await Promise.all(users.map((user) => get(`/rename?user=${user}`).then((r) => r.status)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(errors).toEqual([]);
    expect(users).toContain((await store.get(sid))?.user);
    expect(users).toContain((await get('/whoami').expect(200)).body.user);
  });

  it(`${PARALLEL} parallel read-only requests (each a rolling save) all succeed, and the session is unchanged`, async () => {
    const { sid, get } = await login('reader');
    const statuses = await Promise.all(users.map(() => get('/whoami').then((r) => r.status)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(errors).toEqual([]);
    expect(await store.get(sid)).toMatchObject({ user: 'reader' });
  });

  it('a logout racing with parallel saves wins: the session never comes back, and no request fails', async () => {
    const { sid, get } = await login('racer');
    const paths = users.map((user) => `/rename?user=${user}`);
    paths.splice(PARALLEL / 2, 0, '/logout');
    const statuses = await Promise.all(paths.map((path) => get(path).then((r) => r.status)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(errors).toEqual([]);
    expect(await store.get(sid)).toBeNull();
    expect((await get('/whoami').expect(200)).body).toEqual({ user: null });
  });
});

describe('Fastify 5 + @fastify/session when memcached is unreachable', () => {
  it('answers 500 with the typed error instead of a fresh, empty session', async () => {
    const port = await freePort();
    const store = new DalliSessionStore({ servers: `127.0.0.1:${port}`, clientOptions: { socketTimeout: 0.2 } });
    const errors: unknown[] = [];
    const app = await fastifySessionApp(store, {}, errors);
    try {
      const cookie = `${FASTIFY_COOKIE}=${encodeURIComponent(new Signer(FASTIFY_SECRET).sign('some-session-id'))}`;
      const response = await app.inject({ method: 'GET', url: '/whoami', headers: { cookie } });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: expect.stringMatching(/^ERR_DALLI_/) });
      expect(errors).toHaveLength(1);
    } finally {
      await app.close();
      await store.close();
    }
  });
});

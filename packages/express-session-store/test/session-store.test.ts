import { Client } from '@dalli/core';
import { itemTtl, itemTtlAfter, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import type { SessionData } from 'express-session';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';
import { type ExpressVersion, sessionApp, sessionIdFrom } from './app.ts';
import { frameOpcodes } from './raw-frames.ts';

let memcached: MemcachedProcess;
let raw: Client;
const stores: DalliSessionStore[] = [];
const DAY = 86_400;

beforeAll(async () => {
  memcached = await startMemcached();
  raw = new Client(memcached.address);
});
afterAll(async () => {
  await raw.close();
  await memcached.stop();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function store(options: ConstructorParameters<typeof DalliSessionStore>[0] = {}): DalliSessionStore {
  const made = new DalliSessionStore({ servers: memcached.address, ...options });
  stores.push(made);
  return made;
}

/** The key a session lives under: the prefix and the id, as connect-memcached and connect-redis keep them. */
const wireKey = async (sid: string, prefix = 'sess:'): Promise<string> => `${prefix}${sid}`;
const cookie = (expires: Date | null): SessionData =>
  ({ cookie: { originalMaxAge: null, expires } }) as unknown as SessionData;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([5, 4] as ExpressVersion[])('Express %i + express-session 1.19', (version) => {
  it('keeps a counter in the session across many requests', async () => {
    const agent = request.agent(sessionApp(version, store()));
    for (let i = 1; i <= 20; i++) {
      const response = await agent.get('/count').expect(200);
      expect(response.body.count).toBe(i);
    }
  });

  it("never shows one user another user's session, even with concurrent requests", async () => {
    const app = sessionApp(version, store());
    const users = Array.from({ length: 8 }, (_, i) => ({ name: `user-${i}`, agent: request.agent(app) }));
    await Promise.all(users.map(({ name, agent }) => agent.get(`/login?user=${name}`).expect(200)));
    const rounds = await Promise.all(
      users.flatMap(({ name, agent }) =>
        Array.from({ length: 5 }, async () => ({ name, body: (await agent.get('/count')).body })),
      ),
    );
    for (const { name, body } of rounds) expect(body.user).toBe(name);
  });

  it('never mixes users up when memcached replies arrive late and out of rhythm (fault proxy)', async () => {
    const proxy = await startFaultProxy(memcached);
    proxy.set({ replyDelay: () => Math.random() * 30, splitReplies: 0 });
    const app = sessionApp(version, store({ servers: proxy.address }));
    const users = Array.from({ length: 6 }, (_, i) => ({ name: `slow-${i}`, agent: request.agent(app) }));
    await Promise.all(users.map(({ name, agent }) => agent.get(`/login?user=${name}`).expect(200)));
    for (let round = 0; round < 4; round++) {
      const bodies = await Promise.all(
        users.map(async ({ name, agent }) => ({ name, body: (await agent.get('/count')).body })),
      );
      for (const { name, body } of bodies) expect(body).toEqual({ user: name, count: round + 1 });
    }
    await proxy.close();
  });

  it('destroys a session on logout', async () => {
    const agent = request.agent(sessionApp(version, store()));
    const login = await agent.get('/login?user=ada').expect(200);
    const sid = sessionIdFrom(login.headers['set-cookie']);
    expect(await raw.get(await wireKey(sid), { raw: true })).toBeDefined();
    await agent.get('/logout').expect(200);
    expect(String(await raw.get(await wireKey(sid), { raw: true }))).toBe(`v2:!:${sid.length}:${sid}`);
    expect((await agent.get('/whoami')).body.user).toBeNull();
  });

  it('answers 500, and starts no new session, when the store fails', async () => {
    const down = await startMemcached();
    const failing = new DalliSessionStore({ servers: down.address, clientOptions: { socketTimeout: 0.2 } });
    stores.push(failing);
    const agent = request.agent(sessionApp(version, failing));
    await agent.get('/login?user=ada').expect(200);
    down.signal('SIGKILL');
    await expect.poll(() => down.running).toBe(false);
    const response = await agent.get('/count');
    expect(response.status).toBe(500);
    expect(response.body.error).toMatch(/^ERR_DALLI_/);
    expect(response.headers['set-cookie']).toBeUndefined();
    await down.stop();
  });
});

describe('touch', () => {
  it('extends the TTL with TOUCH and never rewrites the session', async () => {
    const proxy = await startFaultProxy(memcached);
    const touching = store({ servers: proxy.address });
    const agent = request.agent(sessionApp(5, touching, { cookie: { maxAge: 10_000 } }));
    const login = await agent.get('/login?user=ada').expect(200);
    const sid = sessionIdFrom(login.headers['set-cookie']);
    await sleep(2_100);
    expect(await itemTtl(memcached.address, await wireKey(sid))).toBeLessThanOrEqual(9);
    const writesBefore = proxy.transcript.length;
    await agent.get('/whoami').expect(200);
    expect(await itemTtl(memcached.address, await wireKey(sid))).toBeGreaterThanOrEqual(10);
    const sent = proxy.transcript.slice(writesBefore).filter((entry) => entry.from === 'client');
    const opcodes = sent.flatMap((entry) => frameOpcodes(entry.bytes));
    expect(opcodes).toContain(0x1c); // TOUCH
    expect(opcodes).not.toContain(0x01); // SET
    await proxy.close();
  });

  it('does not lose an update made by a concurrent request (a touch is not a rewrite)', async () => {
    const app = sessionApp(5, store());
    const agent = request.agent(app);
    await agent.get('/count').expect(200);
    // A slow read-only request loads the session, a fast one updates it meanwhile, then the slow one ends.
    const slow = agent.get('/whoami?wait=300');
    await sleep(50);
    await agent.get('/login?user=grace').expect(200);
    await slow;
    expect((await agent.get('/whoami')).body).toEqual({ user: 'grace', count: 1 });
  });

  it('does nothing with disableTouch', async () => {
    const proxy = await startFaultProxy(memcached);
    const agent = request.agent(sessionApp(5, store({ servers: proxy.address, disableTouch: true })));
    await agent.get('/login?user=ada').expect(200);
    const before = proxy.transcript.length;
    await agent.get('/whoami').expect(200);
    const opcodes = proxy.transcript
      .slice(before)
      .filter((e) => e.from === 'client')
      .flatMap((e) => frameOpcodes(e.bytes));
    expect(opcodes).not.toContain(0x1c);
    await proxy.close();
  });
});

describe('TTLs', () => {
  it.each([
    ['1 s', 2, 1_000],
    ['1.2 s (rounded up)', 3, 1_200],
    ['30 days - 1 s', 30 * DAY, (30 * DAY - 1) * 1000],
    ['30 days (sent as a date)', 30 * DAY + 1, 30 * DAY * 1000],
  ])('a cookie expiring in %s keeps the session %i s (one tick of the server clock more)', async (_, seconds, ms) => {
    const sessions = store();
    const left = await itemTtlAfter(
      memcached.address,
      () => wireKey('sid-ttl'),
      () => sessions.set('sid-ttl', cookie(new Date(Date.now() + ms))),
    );
    // The time left on the cookie is rounded up to whole seconds, plus one: the full figure. A date (over
    // 30 days) is whole Unix seconds from this clock, read against memcached's own: ±1.
    if (seconds <= 30 * DAY) expect(left).toBe(seconds);
    else {
      expect(left).toBeGreaterThanOrEqual(seconds - 1);
      expect(left).toBeLessThanOrEqual(seconds + 1);
    }
  });

  it('keeps a browser-session cookie (no expiry) for the ttl option, or one day by default', async () => {
    await store().set('sid-browser', cookie(null));
    expect(await itemTtl(memcached.address, await wireKey('sid-browser'))).toBeGreaterThanOrEqual(DAY - 1);
    await store({ ttl: 600 }).set('sid-browser-600', cookie(null));
    expect(await itemTtl(memcached.address, await wireKey('sid-browser-600'))).toBeGreaterThanOrEqual(599);
    await store({ ttl: (data) => (data.user === 'admin' ? 60 : 3_600) }).set('sid-fn', {
      ...cookie(null),
      user: 'admin',
    });
    expect(await itemTtl(memcached.address, await wireKey('sid-fn'))).toBeLessThanOrEqual(61);
  });

  it('stores without expiry with disableTTL', async () => {
    await store({ disableTTL: true }).set('sid-forever', cookie(new Date(Date.now() + 5_000)));
    expect(await itemTtl(memcached.address, await wireKey('sid-forever'))).toBe(-1);
  });

  it('destroys, instead of writing, a session whose cookie has already expired', async () => {
    const sessions = store();
    await sessions.set('sid-past', cookie(new Date(Date.now() + 60_000)));
    await sessions.set('sid-past', cookie(new Date(Date.now() - 1_000)));
    expect(await sessions.get('sid-past')).toBeNull();
    expect(String(await raw.get(await wireKey('sid-past'), { raw: true }))).toMatch(/^v2:!:/);
  });
});

describe('store contract', () => {
  it('offers promises when no callback is given', async () => {
    const sessions = store();
    const data = { ...cookie(null), user: 'promise' };
    await sessions.set('sid-promise', data);
    expect(await sessions.get('sid-promise')).toMatchObject({ user: 'promise' });
    await sessions.destroy('sid-promise');
    expect(await sessions.get('sid-promise')).toBeNull();
  });

  it('calls callbacks as express-session expects', async () => {
    const sessions = store();
    const got = await new Promise((resolve, reject) => {
      sessions.set('sid-cb', { ...cookie(null), user: 'cb' }, (error) => {
        if (error) reject(error);
        else sessions.get('sid-cb', (getError, data) => (getError ? reject(getError) : resolve(data)));
      });
    });
    expect(got).toMatchObject({ user: 'cb' });
  });

  it("refuses, rather than serves, a record stored under another session's id", async () => {
    const sessions = store();
    await sessions.set('sid-alice', { ...cookie(null), user: 'alice' });
    const alice = await raw.get(await wireKey('sid-alice'), { raw: true });
    await raw.set(await wireKey('sid-mallory'), alice, 60, { raw: true });
    await expect(sessions.get('sid-mallory')).rejects.toMatchObject({ code: 'ERR_DALLI_SESSION_MISMATCH' });
  });

  it('clear() drops only its prefix, without flushing the server', async () => {
    const mine = store({ prefix: 'mine:' });
    const theirs = store({ prefix: 'theirs:' });
    await mine.set('sid', { ...cookie(null), user: 'mine' });
    await theirs.set('sid', { ...cookie(null), user: 'theirs' });
    await raw.set('unrelated', 'kept');
    await mine.clear();
    expect(await mine.get('sid')).toBeNull();
    expect(await theirs.get('sid')).toMatchObject({ user: 'theirs' });
    expect(await raw.get('unrelated')).toBe('kept');
    expect((await raw.stats())[memcached.address]?.cmd_flush).toBe('0');
  });

  it('uses a custom serializer', async () => {
    const sessions = store({
      serializer: { stringify: (data) => `custom|${JSON.stringify(data)}`, parse: (text) => JSON.parse(text.slice(7)) },
    });
    await sessions.set('sid-custom', { ...cookie(null), user: 'custom' });
    expect(String(await raw.get(await wireKey('sid-custom'), { raw: true }))).toContain('custom|');
    expect(await sessions.get('sid-custom')).toMatchObject({ user: 'custom' });
  });

  it('sets failover off by default: a session is never read from a fallback server', async () => {
    const [a, b] = await Promise.all([startMemcached(), startMemcached()]);
    const sessions = new DalliSessionStore({
      servers: [a.address, b.address],
      clientOptions: { socketMaxFailures: 1 },
    });
    stores.push(sessions);
    const onA = Array.from({ length: 100 }, (_, i) => `sid-${i}`).find(
      (candidate) => sessions.client.locate(sessions.keyOf(candidate)).server === a.address,
    ) as string;
    expect(onA).toBeDefined();
    await sessions.set(onA, { ...cookie(null), user: 'on a' });
    a.signal('SIGKILL');
    await expect.poll(() => a.running).toBe(false);
    await expect(sessions.get(onA)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
    await expect(sessions.get(onA)).rejects.toMatchObject({ code: 'ERR_DALLI_NO_SERVER' });
    await Promise.all([a.stop(), b.stop()]);
  });
});

import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import type { SessionData } from 'express-session';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';
import { sessionApp, sessionIdFrom } from './app.ts';
import { deliverLate } from './raw-frames.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;
let app: DalliSessionStore;
/** Another app server, reaching memcached directly: it logs the user out. */
let other: DalliSessionStore;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());
beforeEach(async () => {
  proxy = await startFaultProxy(memcached);
  app = new DalliSessionStore({ servers: proxy.address, clientOptions: { socketTimeout: 0.3 } });
  other = new DalliSessionStore({ servers: memcached.address });
});
afterEach(async () => {
  await Promise.all([app.close(), other.close(), proxy.close()]);
});

/** Every request frame the app sent to memcached (through the proxy) from transcript entry `from` on. */
function sentSince(from: number): Buffer {
  const sent = proxy.transcript.slice(from).filter((entry) => entry.from === 'client');
  return Buffer.concat(sent.map((entry) => entry.bytes));
}

async function logIn(): Promise<string> {
  const login = await request(sessionApp(5, app)).get('/login?user=ada').expect(200);
  return sessionIdFrom(login.headers['set-cookie']);
}

describe('a destroyed session never comes back', () => {
  it('when a save that timed out during a server stall reaches memcached after the destroy', async () => {
    const sid = await logIn();
    const loaded = (await app.get(sid)) as SessionData;
    const mark = proxy.transcript.length;
    await memcached.freeze();
    await expect(app.set(sid, { ...loaded, count: 99 } as SessionData)).rejects.toMatchObject({
      code: 'ERR_DALLI_TIMEOUT',
    });
    const stalledSave = sentSince(mark);
    await memcached.thaw();
    await other.destroy(sid);
    // The stalled bytes reach the server only now (a frozen server's socket buffer, a slow worker thread).
    await deliverLate(memcached.address, stalledSave);
    expect(await other.get(sid)).toBeNull();
  });

  it.each([
    ['the first save of a new session', false],
    ['an update of a session this process read', true],
  ])('when every frame of %s is delivered again after the destroy', async (_, readFirst) => {
    const sid = `sid-replay-${readFirst}`;
    const data = { cookie: { originalMaxAge: null, expires: null }, user: 'ada' } as unknown as SessionData;
    if (readFirst) {
      await other.set(sid, data);
      await app.get(sid);
    }
    const mark = proxy.transcript.length;
    await app.set(sid, data);
    const save = sentSince(mark);
    await other.destroy(sid);
    await deliverLate(memcached.address, save);
    expect(await other.get(sid)).toBeNull();
  });

  it('a save that arrives after the logout is dropped, and the user stays logged out', async () => {
    const agent = request.agent(sessionApp(5, app));
    const login = await agent.get('/login?user=ada').expect(200);
    const sid = sessionIdFrom(login.headers['set-cookie']);
    const loaded = (await app.get(sid)) as SessionData;
    await agent.get('/logout').expect(200);
    await app.set(sid, { ...loaded, user: 'ada' } as SessionData);
    expect((await agent.get('/whoami').expect(200)).body.user).toBeNull();
  });
});

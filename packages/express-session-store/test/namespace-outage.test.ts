import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import type { SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';

/**
 * The session store (failover off) on three servers when the server holding replica 0 of the
 * namespace token (`<prefix>:__generation`) is frozen: a store started then (a deploy, an
 * autoscaled process) still reads the sessions on the other servers.
 */
let servers: MemcachedProcess[];
let raw: Client;
const PREFIX = 'outage:';
const session = (user: string) => ({ cookie: { originalMaxAge: null, expires: null }, user }) as unknown as SessionData;

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  raw = new Client(servers.map((server) => server.address));
});
afterAll(async () => {
  await raw.close();
  await Promise.all(servers.map((server) => server.stop()));
});

/** How many of the namespace's token replicas hold a value (replica 0 and the suffixed ones). */
async function replicas(): Promise<number> {
  const keys = [`${PREFIX}:__generation`, ...Array.from({ length: 64 }, (_, i) => `${PREFIX}:__generation:${i + 1}`)];
  return (await raw.getMulti(keys)).size;
}

describe('a store started while the replica-0 server of the token is frozen', () => {
  it('reads every session stored on the healthy servers', async () => {
    const servers3 = servers.map((server) => server.address);
    const running = new DalliSessionStore({ servers: servers3, prefix: PREFIX });
    const sids = Array.from({ length: 22 }, (_, i) => `sid-${i}`);
    for (const sid of sids) await running.set(sid, session(sid));
    await expect.poll(replicas).toBe(3);
    await running.close();

    const zero = servers.find((server) => server.address === raw.locate(`${PREFIX}:__generation`).server);
    const healthy = sids.filter((sid) => raw.locate(running.keyOf(sid)).server !== zero?.address);
    expect(healthy.length).toBeGreaterThan(0);
    await zero?.freeze();
    try {
      const started = new DalliSessionStore({
        servers: servers3,
        prefix: PREFIX,
        clientOptions: { socketTimeout: 0.2, socketMaxFailures: 1 },
      });
      const read = await Promise.all(healthy.map((sid) => started.get(sid)));
      expect(read).toEqual(healthy.map((sid) => expect.objectContaining({ user: sid })));
      await started.close();
    } finally {
      await zero?.thaw();
    }
  });
});

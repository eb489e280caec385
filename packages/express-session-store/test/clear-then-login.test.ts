import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import type { SessionData } from 'express-session';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';

/**
 * Two app processes (two stores) share the cluster. One clears the store and a user signs in on
 * it at once; the other, which read the generation token less than a second earlier, must serve
 * that new session rather than sign the user out: it finds a record of a newer generation than it
 * knows and reads the token replicas again.
 */
let server: MemcachedProcess;
const session = (user: string) => ({ cookie: { originalMaxAge: null, expires: null }, user }) as unknown as SessionData;

beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server.stop();
});

it("a session saved right after another process's clear() is served by a process that has not seen the clear yet", async () => {
  const first = new DalliSessionStore({ servers: server.address, prefix: 'cleared:' });
  const second = new DalliSessionStore({ servers: server.address, prefix: 'cleared:' });
  try {
    await first.set('before', session('old'));
    // The second process reads the generation now: it keeps it for the next second.
    expect(await second.get('before')).toEqual(expect.objectContaining({ user: 'old' }));

    await first.clear();
    await first.set('after', session('signed in after the clear'));

    expect(await second.get('after')).toEqual(expect.objectContaining({ user: 'signed in after the clear' }));
    // And the cleared session stays cleared for both.
    expect(await second.get('before')).toBeNull();
    expect(await first.get('before')).toBeNull();
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
});

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, DalliError, ErrorCode, OverloadedError } from '../../src/index.ts';

/**
 * `maxQueued` bounds the requests one server's connection holds. With one of three real memcached
 * frozen (`kill -STOP`), a bounded load on its keys fills its queue to the cap and no further: the
 * rest fail at once with OverloadedError naming it, while the other servers' keys are served.
 */
const MAX_QUEUED = 50;
let servers: MemcachedProcess[];
let client: Client;

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 3 }, () => startMemcached()));
  client = new Client(
    servers.map((server) => server.address),
    { maxQueued: MAX_QUEUED, socketTimeout: 5, failover: false },
  );
});
afterAll(async () => {
  await client?.close();
  await Promise.all(servers.map((server) => server.stop()));
});

/** `count` keys that the ring puts on `server`. */
function keysOn(server: string, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) if (client.locate(`bp:${i}`).server === server) keys.push(`bp:${i}`);
  return keys;
}

it('a frozen server holds at most maxQueued requests; the rest fail at once with OverloadedError naming it; other servers are unaffected', async () => {
  const [frozen, ...others] = servers as [MemcachedProcess, ...MemcachedProcess[]];
  const frozenKeys = keysOn(frozen.address, 10);
  const otherKeys = others.map((server) => keysOn(server.address, 1)[0] as string);
  await client.setMulti([...frozenKeys, ...otherKeys].map((key) => [key, 'v'] as const));
  const overloaded: unknown[] = [];
  const onOverloaded = (message: unknown): void => void overloaded.push(message);
  subscribe('dalli:server:overloaded', onOverloaded);
  await frozen.freeze();
  try {
    // A bounded load: 5,000 reads of the frozen server's keys, issued in one go.
    const load = Array.from({ length: 5_000 }, (_, i) => client.get(frozenKeys[i % 10] as string));
    const refusals = await Promise.allSettled(load.slice(MAX_QUEUED));
    expect(refusals.every((outcome) => outcome.status === 'rejected')).toBe(true);
    const errors = refusals.map((outcome) => (outcome as PromiseRejectedResult).reason as DalliError);
    expect(errors.every((error) => error instanceof OverloadedError)).toBe(true);
    expect(errors.every((error) => DalliError.is(error, ErrorCode.overloaded))).toBe(true);
    expect(errors.every((error) => error.server === frozen.address)).toBe(true);
    const state = client.servers().find((server) => server.name === frozen.address);
    expect(state?.inFlight).toBe(MAX_QUEUED);
    expect(state?.up).toBe(true);
    expect(overloaded).toEqual([{ client, server: frozen.address, queued: MAX_QUEUED }]);
    for (const key of otherKeys) expect(await client.get(key)).toBe('v');
    await frozen.thaw();
    const queued = await Promise.all(load.slice(0, MAX_QUEUED));
    expect(queued.every((value) => value === 'v')).toBe(true);
    expect(await client.get(frozenKeys[0] as string)).toBe('v');
  } finally {
    unsubscribe('dalli:server:overloaded', onOverloaded);
    await frozen.thaw();
  }
});

it.each(['binary', 'meta', 'text'] as const)(
  '%s: a multi-key call of many more keys than maxQueued to a healthy server is served whole',
  async (protocol) => {
    const [server] = servers as [MemcachedProcess];
    const wide = new Client(server.address, { protocol, maxQueued: MAX_QUEUED });
    try {
      const keys = Array.from({ length: MAX_QUEUED * 20 }, (_, i) => `wide:${protocol}:${i}`);
      await wide.setMulti(keys.map((key) => [key, key] as const));
      const found = await wide.getMulti(keys);
      expect(found.size).toBe(keys.length);
      expect((await wide.deleteMulti(keys)).size).toBe(keys.length);
    } finally {
      await wide.close();
    }
  },
);

it('maxQueued must be a positive integer', () => {
  for (const maxQueued of [0, -1, 1.5, '10', Number.NaN]) {
    expect(() => new Client('127.0.0.1:1', { maxQueued: maxQueued as number })).toThrow(/maxQueued/);
  }
});

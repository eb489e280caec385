import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';

/**
 * A multi-key operation over many servers sends every server's batch in the same tick, never
 * server after server: 50 servers (fault proxies in front of two memcached) each hold every reply
 * for 20 ms, and a getMulti spanning all of them has every request at its server before the first
 * reply is released. Sent one server after another, only the first would be.
 */
const SERVERS = 50;
const DELAY_MS = 20;
let memcached: MemcachedProcess[];
let proxies: FaultProxy[];
let client: Client;
let keys: string[];
/** For each reply chunk a proxy is about to hold: how many proxies had received a request by then. */
let reachedAtReply: number[] = [];

beforeAll(async () => {
  memcached = await Promise.all([startMemcached(), startMemcached()]);
  proxies = await Promise.all(
    Array.from({ length: SERVERS }, (_, i) => startFaultProxy(memcached[i % 2] as MemcachedProcess)),
  );
  client = new Client(
    proxies.map((proxy) => proxy.address),
    { socketTimeout: 2 },
  );
  // Keys on every server, found on the client's own ring.
  const byServer = new Map<string, string>();
  for (let i = 0; byServer.size < SERVERS; i++) {
    const server = client.locate(`fan:${i}`).server;
    if (!byServer.has(server)) byServer.set(server, `fan:${i}`);
  }
  keys = [...byServer.values()];
  await client.setMulti(keys.map((key) => [key, key] as const));
  // Every connection open, so the measured operation waits on no connect.
  await client.noop();
});
afterAll(async () => {
  await client.close();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await Promise.all(memcached.map((server) => server.stop()));
});

/** Holds each reply DELAY_MS, noting how many proxies have seen a request with a key (after `from`). */
function delayReplies(from: number[]): void {
  reachedAtReply = [];
  for (const proxy of proxies) {
    proxy.set({
      replyDelay: () => {
        const reached = proxies.filter((other, j) => other.clientChunks > (from[j] as number)).length;
        reachedAtReply.push(reached);
        return DELAY_MS;
      },
    });
  }
}

it('a getMulti over 50 servers has sent every server its batch before the first (20 ms delayed) reply comes back', async () => {
  const before = proxies.map((proxy) => proxy.clientChunks);
  delayReplies(before);
  const started = performance.now();
  const found = await client.getMulti(keys);
  const elapsed = performance.now() - started;
  proxies.forEach((proxy) => void proxy.set({ replyDelay: 0 }));
  expect([...found.keys()].sort()).toEqual([...keys].sort());
  expect(reachedAtReply[0]).toBe(SERVERS);
  // A loose bound: half the 1,000 ms that 50 servers one after another would take.
  expect(elapsed).toBeLessThan((SERVERS * DELAY_MS) / 2);
});

it('a deleteMulti over 50 servers has sent every server its batch before the first (20 ms delayed) reply comes back', async () => {
  const before = proxies.map((proxy) => proxy.clientChunks);
  delayReplies(before);
  const deleted = await client.deleteMulti(keys);
  proxies.forEach((proxy) => void proxy.set({ replyDelay: 0 }));
  expect([...deleted.values()].every((wasThere) => wasThere)).toBe(true);
  expect(reachedAtReply[0]).toBe(SERVERS);
});

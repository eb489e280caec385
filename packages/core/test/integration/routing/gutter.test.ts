import { itemTtl, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientOptions, NoServerAvailableError } from '../../../src/index.ts';
import { DIALECTS } from '../../support/dialects.ts';

/** The proxy's failover-gutter example: writes to the gutter live at most 300 s; reads and the rest fail over plainly. */
const GUTTER_ROUTES: ClientOptions['routes'] = {
  write: { route: 'failover', children: ['main', { route: 'ttl', ttl: 300, child: 'gutter' }] },
  default: { route: 'failover', children: ['main', 'gutter'] },
};

let primaries: MemcachedProcess[];
let gutter: MemcachedProcess;
const clients: Client[] = [];

beforeAll(async () => {
  [gutter, ...primaries] = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
});
afterAll(() => Promise.all([gutter, ...primaries].map((node) => node.stop())));
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const node of [gutter, ...primaries]) {
    if (node.running) await node.thaw();
    else await node.start();
    await new Client(node.address).flush().catch(() => {});
  }
});

function gutterClient(protocol: ClientOptions['protocol'], extra: ClientOptions = {}): Client {
  const client = new Client(
    primaries.map((node) => node.address),
    {
      protocol,
      socketTimeout: 0.25,
      socketMaxFailures: 1,
      downRetryDelay: 0.2,
      pools: { gutter: { servers: gutter.address } },
      routes: GUTTER_ROUTES,
      ...extra,
    },
  );
  clients.push(client);
  return client;
}

/** Keys the ring gives to `node` (of the client's primaries). */
function keysOn(client: Client, node: MemcachedProcess, count: number, prefix: string): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    if (client.locate(`${prefix}${i}`).server === node.address) keys.push(`${prefix}${i}`);
  }
  return keys;
}

describe.each(DIALECTS)('a gutter pool, %s protocol', (protocol) => {
  it('takes a dead primary’s reads and writes, with writes clamped to the gutter TTL, and never rehashes', async () => {
    const client = gutterClient(protocol);
    const [dead, live] = primaries as [MemcachedProcess, MemcachedProcess];
    const keys = keysOn(client, dead, 20, 'g:');
    const others = keysOn(client, live, 5, 'o:');
    await client.setMulti([...keys, ...others].map((key) => [key, 'before'] as const));
    await dead.stop();
    for (const key of keys) expect(await client.get(key)).toBeUndefined(); // the gutter is empty: a miss, not an error
    for (const key of keys) expect(await client.set(key, 'during', 3600)).toBe(true);
    for (const key of keys) expect(await client.get(key)).toBe('during');
    for (const key of keys) {
      const ttl = (await itemTtl(gutter.address, key)) as number;
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);
    }
    // No rehash: the live primary never saw the dead one's keys.
    for (const key of keys) expect(await new Client(live.address).get(key)).toBeUndefined();
    for (const key of others) expect(await client.get(key)).toBe('before');
    expect(client.routeStats()?.failovers).toBeGreaterThan(0);
  });

  it('leaves no stale value behind: updates and deletes made during an outage win when the primary returns', async () => {
    const client = gutterClient(protocol);
    const [frozen] = primaries as [MemcachedProcess];
    const keys = keysOn(client, frozen, 30, 's:');
    await client.setMulti(keys.map((key) => [key, 'old'] as const));
    await frozen.freeze();
    const updated = keys.slice(0, 10);
    const deleted = keys.slice(10, 20);
    for (const key of updated) expect(await client.set(key, 'new')).toBe(true);
    for (const key of deleted) await client.delete(key);
    await frozen.thaw();
    // Every key, read until the primary serves again: never the value from before the outage.
    for (let round = 0; round < 3; round++) {
      for (const key of updated) expect(await client.get(key)).not.toBe('old');
      for (const key of deleted) expect(await client.get(key)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(client.servers().every((server) => server.up)).toBe(true);
    for (const key of deleted) expect(await new Client(frozen.address).get(key)).toBeUndefined();
    expect(client.routeStats()?.invalidated).toBeGreaterThan(0);
  });

  it('routes each key of a multi-key call, and fetch, through the gutter', async () => {
    const client = gutterClient(protocol);
    const [dead, live] = primaries as [MemcachedProcess, MemcachedProcess];
    const lost = keysOn(client, dead, 5, 'm:');
    const kept = keysOn(client, live, 5, 'n:');
    await dead.stop();
    await client.setMulti([...lost, ...kept].map((key) => [key, key] as const));
    const read = await client.getMulti([...lost, ...kept]);
    expect(new Map([...read].sort())).toEqual(new Map([...lost, ...kept].map((key) => [key, key] as const).sort()));
    for (const key of lost) expect((await itemTtl(gutter.address, key)) as number).toBeLessThanOrEqual(300);
    for (const key of kept) expect(await itemTtl(gutter.address, key)).toBeUndefined();
    await client.deleteMulti(lost);
    for (const key of lost) expect(await itemTtl(gutter.address, key)).toBeUndefined();
    let computed = 0;
    const compute = (): string => `computed ${++computed}`;
    const [key] = lost as [string];
    expect(await client.fetch(key, 3600, compute)).toBe('computed 1');
    expect(await client.fetch(key, 3600, compute)).toBe('computed 1');
    expect((await itemTtl(gutter.address, key)) as number).toBeLessThanOrEqual(300);
  });

  it('fails as before when the gutter is down too', async () => {
    const client = gutterClient(protocol);
    const [dead] = primaries as [MemcachedProcess];
    const [key] = keysOn(client, dead, 1, 'd:') as [string];
    await Promise.all([dead.stop(), gutter.stop()]);
    await expect(client.get(key)).rejects.toThrow();
    await expect(client.set(key, 1)).rejects.toBeInstanceOf(Error);
    expect(NoServerAvailableError).toBeDefined();
  });
});

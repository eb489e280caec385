import { ClearableNamespace, Client, type ClientOptions } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { Keyv } from 'keyv6';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyvDalli } from '../src/index.ts';

/**
 * The Keyv namespace on a real three-server cluster with failover on (the client's default): one
 * frozen server costs only its own keys, nothing done during its outage is rolled back when it
 * returns, and the namespace token adds almost no gets. Freezes last about two seconds.
 */
let servers: MemcachedProcess[];
let raw: Client;
const clients: Client[] = [];
const frozen = new Set<MemcachedProcess>();
/** The namespace re-reads its token once per second: an outage longer than that sees a re-read. */
const REFRESH_MS = 1_000;
const FAST: ClientOptions = { socketTimeout: 0.2, socketMaxFailures: 1, socketFailureDelay: 0.01, downRetryDelay: 0.2 };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  raw = new Client(addresses());
});
afterAll(async () => {
  await raw.close();
  await Promise.all(servers.map((server) => server.stop()));
});
afterEach(async () => {
  await Promise.all([...frozen].map((server) => server.thaw()));
  frozen.clear();
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function addresses(): string[] {
  return servers.map((server) => server.address);
}

/** A Keyv 6 over its own client (failover on) that answers a miss, not an error, when a server fails. */
function keyv(namespace: string): { cache: Keyv; client: Client } {
  const client = new Client(addresses(), FAST);
  clients.push(client);
  const cache = new Keyv({ store: new KeyvDalli(client), namespace });
  cache.on('error', () => {});
  return { cache, client };
}

/** The server each key of `namespace` lives on, in its current generation. */
async function homes(namespace: string, keys: readonly string[]): Promise<string[]> {
  const wireKeys = await new ClearableNamespace(raw, namespace).keys(keys);
  return wireKeys.map((wireKey) => raw.locate(wireKey).server);
}

describe('Keyv on three servers with failover on', () => {
  const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);

  /** One namespace for every case, whose replica 0 (`<namespace>:__generation`) lives on server 0. */
  let namespace = '';
  beforeAll(() => {
    for (let i = 0; raw.locate(`${namespace}:__generation`).server !== servers[0]?.address; i++)
      namespace = `outage-${i}`;
  });

  it.each([0, 1, 2])(
    'server %i frozen (0 holds replica 0 of the token): only its keys miss, and after it returns an update and a delete made meanwhile stay',
    async (index) => {
      const victim = servers[index] as MemcachedProcess;
      const { cache } = keyv(namespace);
      await Promise.all(keys.map((key) => cache.set(key, `v1:${key}`)));
      const home = await homes(namespace, keys);
      const healthy = keys.filter((_, i) => home[i] !== victim.address);
      const [updated, deleted] = healthy as [string, string];
      const expected = new Map(keys.map((key, i) => [key, home[i] === victim.address ? undefined : `v1:${key}`]));

      frozen.add(victim);
      await victim.freeze();
      expect(await Promise.all(keys.map((key) => cache.get(key)))).toEqual(keys.map((key) => expected.get(key)));
      await sleep(REFRESH_MS); // the generation is read again while the server is out
      await cache.set(updated, 'v2');
      await cache.delete(deleted);
      expected.set(updated, 'v2').set(deleted, undefined);
      expect(await Promise.all(keys.map((key) => cache.get(key)))).toEqual(keys.map((key) => expected.get(key)));

      frozen.delete(victim);
      await victim.thaw();
      const back = keys.find((_, i) => home[i] === victim.address) as string;
      await expect.poll(() => cache.get(back), { timeout: 5_000 }).toBe(`v1:${back}`);
      expected.set(back, `v1:${back}`);
      for (const [i, key] of keys.entries()) if (home[i] === victim.address) expected.set(key, `v1:${key}`);
      expect(await Promise.all(keys.map((key) => cache.get(key)))).toEqual(keys.map((key) => expected.get(key)));
    },
  );

  it('costs at most 0.2 extra server gets per Keyv get, and no server takes more than its share', async () => {
    const namespace = 'load';
    const { cache } = keyv(namespace);
    const ids = Array.from({ length: 300 }, (_, i) => `load-${i}`);
    await Promise.all(ids.map((id) => cache.set(id, id)));
    const home = await homes(namespace, ids);
    const gets = async (): Promise<Map<string, number>> =>
      new Map(Object.entries(await raw.stats()).map(([server, stats]) => [server, Number(stats.cmd_get)]));
    const before = await gets();
    // Ten callers, each awaiting its get before the next: gets spread over many ticks, as a
    // server's requests are (gets issued in one tick would share one token read in any design).
    const rounds = 4;
    const callers = 10;
    await Promise.all(
      Array.from({ length: callers }, async (_, caller) => {
        for (let round = 0; round < rounds; round++)
          for (let i = caller; i < ids.length; i += callers) await cache.get(ids[i] as string);
      }),
    );
    const after = await gets();

    const operations = rounds * ids.length;
    const served = addresses().map((server) => (after.get(server) ?? 0) - (before.get(server) ?? 0));
    expect(served.reduce((sum, count) => sum + count, 0) / operations).toBeLessThanOrEqual(1.2);
    for (const [i, server] of addresses().entries()) {
      const own = rounds * home.filter((where) => where === server).length;
      // Each server answers its own keys' gets plus at most its third of the 0.2 extra.
      expect((served[i] as number) - own).toBeLessThanOrEqual((0.2 * operations) / 3);
    }
  });
});

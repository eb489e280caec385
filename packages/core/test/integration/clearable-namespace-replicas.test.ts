import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClearableNamespace, Client, type ClientOptions } from '../../src/index.ts';

/**
 * The namespace token on a real three-server cluster: kept on three servers, read from whichever
 * answer, never rolled back by a server that returns with an old copy, and read at most once per
 * `refresh`. Freezes (SIGSTOP) last a fraction of a second: timeouts are 0.2 s.
 */
let servers: MemcachedProcess[];
let raw: Client;
const frozen = new Set<MemcachedProcess>();
const clients: Client[] = [];
// Half a second: a healthy server must answer a new connection within it even on a loaded machine.
const FAST: ClientOptions = { socketTimeout: 0.5, socketMaxFailures: 1, socketFailureDelay: 0.01 };

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  raw = new Client(servers.map((server) => server.address));
});
afterAll(async () => {
  await raw.close();
  await Promise.all(servers.map((server) => server.stop()));
});
afterEach(async () => {
  await Promise.all([...frozen].map((server) => thaw(server)));
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(options: ClientOptions = {}, addresses = servers.map((server) => server.address)): Client {
  const made = new Client(addresses, { ...FAST, failover: false, ...options });
  clients.push(made);
  return made;
}

async function freeze(server: MemcachedProcess): Promise<void> {
  frozen.add(server);
  await server.freeze();
}

async function thaw(server: MemcachedProcess): Promise<void> {
  frozen.delete(server);
  await server.thaw();
}

/** The server that holds a namespace's replica 0 (`<name>:__generation`, the key used before replicas). */
function replicaZeroServer(name: string): MemcachedProcess {
  const address = raw.locate(`${name}:__generation`).server;
  return servers.find((server) => server.address === address) as MemcachedProcess;
}

/** The token keys of `name` that hold a value, with their values. */
async function storedReplicas(name: string, on: Client = raw): Promise<Map<string, string>> {
  const keys = [`${name}:__generation`, ...Array.from({ length: 64 }, (_, i) => `${name}:__generation:${i + 1}`)];
  const found = await on.getMulti(keys, { raw: true });
  return new Map([...found].map(([key, value]) => [key, String(value)]));
}

/** A key of `space`, in its current generation, that does not live on `server`. */
async function keyAway(space: ClearableNamespace, server: MemcachedProcess): Promise<string> {
  for (let i = 0; ; i++) if (raw.locate(await space.key(`k${i}`)).server !== server.address) return `k${i}`;
}

describe('ClearableNamespace on three servers', () => {
  it('keeps its token on three distinct servers, replica 0 under <name>:__generation', async () => {
    const space = new ClearableNamespace(client(), 'placed');
    const generation = await space.generation();
    await expect.poll(async () => (await storedReplicas('placed')).size).toBe(3);
    const replicas = await storedReplicas('placed');
    expect(replicas.get('placed:__generation')).toBe(generation);
    expect([...replicas.values()]).toEqual([generation, generation, generation]);
    expect(new Set([...replicas.keys()].map((key) => raw.locate(key).server)).size).toBe(3);
  });

  it('a process started while the replica-0 server is frozen reads the generation from the others (failover off)', async () => {
    const before = new ClearableNamespace(client(), 'startup');
    await raw.set(await before.key('k'), 'stored');
    await expect.poll(async () => (await storedReplicas('startup')).size).toBe(3);
    await freeze(replicaZeroServer('startup'));
    const started = new ClearableNamespace(client(), 'startup');
    expect(await started.key('k')).toBe(await before.key('k'));
  });

  it('reads the token at most once per refresh, and sees another client’s clear once refresh has passed', async () => {
    const here = new ClearableNamespace(client(), 'refresh', { refresh: 200 });
    const there = new ClearableNamespace(client(), 'refresh', { refresh: 200 });
    await raw.set(await here.key('k'), 'before the clear');
    await expect.poll(async () => (await storedReplicas('refresh')).size).toBe(3);
    const gets = async () => Object.values(await raw.stats()).reduce((sum, stats) => sum + Number(stats.cmd_get), 0);
    const start = await gets();
    for (let i = 0; i < 50; i++) await there.key('k');
    // One read of the three replicas for 50 lookups (today's design: 50 reads).
    expect((await gets()) - start).toBeLessThanOrEqual(3);
    expect(await raw.get(await there.key('k'))).toBe('before the clear');
    await here.clear();
    await new Promise((resolve) => setTimeout(resolve, there.refresh + 5));
    expect(await raw.get(await there.key('k'))).toBeUndefined();
  });

  it('clear() succeeds while the replica-0 server is frozen, and that server’s old token never undoes it', async () => {
    const name = 'undo';
    const space = new ClearableNamespace(client(), name, { refresh: 0 });
    await raw.set(await space.key('old'), 'dropped by the clear');
    await expect.poll(async () => (await storedReplicas(name)).size).toBe(3);
    const zero = replicaZeroServer(name);
    await freeze(zero);
    await space.clear();
    const cleared = await space.generation();
    const fresh = await keyAway(space, zero);
    await raw.set(await space.key(fresh), 'written after the clear');
    await thaw(zero);
    // A new process, and the one that cleared, both read the cleared generation.
    const later = new ClearableNamespace(client(), name, { refresh: 0 });
    expect(await later.generation()).toBe(cleared);
    expect(await raw.get(await later.key('old'))).toBeUndefined();
    expect(await raw.get(await later.key(fresh))).toBe('written after the clear');
    // ...and the returned replica is brought up to date.
    await expect.poll(async () => (await storedReplicas(name)).get(`${name}:__generation`)).toBe(cleared);
  });

  it('with failover on, a frozen replica-0 server does not change the generation, during or after', async () => {
    const name = 'failover';
    const cache = client({ failover: true, downRetryDelay: 0.2 });
    const space = new ClearableNamespace(cache, name, { refresh: 0 });
    const generation = await space.generation();
    await expect.poll(async () => (await storedReplicas(name)).size).toBe(3);
    const zero = replicaZeroServer(name);
    await freeze(zero);
    expect(await space.generation()).toBe(generation); // the read that times out on it
    expect(cache.servers().find((server) => server.name === zero.address)?.up).toBe(false);
    expect(await space.generation()).toBe(generation); // replica 0 now fails over: a miss elsewhere
    expect(await new ClearableNamespace(cache, name, { refresh: 0 }).generation()).toBe(generation);
    await thaw(zero);
    expect(await new ClearableNamespace(client(), name, { refresh: 0 }).generation()).toBe(generation);
  });

  it('clear() fails with the typed failure when no replica takes it', async () => {
    const space = new ClearableNamespace(client(), 'nowhere', { refresh: 0 });
    await space.generation();
    await Promise.all(servers.map((server) => freeze(server)));
    await expect(space.clear()).rejects.toMatchObject({
      code: expect.stringMatching(/^ERR_DALLI_(TIMEOUT|NO_SERVER)$/),
    });
  });

  it('picks its replicas again when the server list changes', async () => {
    const [first, second] = servers as [MemcachedProcess, MemcachedProcess];
    const cache = client({}, [first.address, second.address]);
    const space = new ClearableNamespace(cache, 'resized', { refresh: 0 });
    const generation = await space.generation();
    await expect.poll(async () => (await storedReplicas('resized', cache)).size).toBe(2);
    await cache.setServers(servers.map((server) => server.address));
    expect(await space.generation()).toBe(generation);
    // The same three servers in the same order: the raw client's ring is the new one.
    await expect.poll(async () => (await storedReplicas('resized')).size).toBeGreaterThanOrEqual(3);
    const holders = new Set([...(await storedReplicas('resized')).keys()].map((key) => raw.locate(key).server));
    expect(holders.size).toBe(3);
  });
});

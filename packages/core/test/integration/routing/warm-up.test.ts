import { type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientOptions } from '../../../src/index.ts';
import { DIALECTS } from '../../support/dialects.ts';

let nodes: MemcachedProcess[];
const clients: Client[] = [];
const KEYS = Array.from({ length: 300 }, (_, i) => `w:${i}`);

beforeAll(async () => {
  nodes = await Promise.all(Array.from({ length: 4 }, () => startMemcached()));
});
afterAll(() => Promise.all(nodes.map((node) => node.stop())));
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const node of nodes) await new Client(node.address).flush().catch(() => {});
});

const addresses = (count: number): string[] => nodes.slice(0, count).map((node) => node.address);

function client(options: ClientOptions): Client {
  const made = new Client(addresses(3), options);
  clients.push(made);
  return made;
}

async function misses(target: Client, keys: readonly string[]): Promise<number> {
  const found = await Promise.all(keys.map((key) => target.get(key)));
  return found.filter((value) => value === undefined).length;
}

async function getMisses(node: MemcachedProcess): Promise<number> {
  const stats = await new Client(node.address).stats();
  return Number(stats[node.address]?.get_misses);
}

describe.each(DIALECTS)('warm-up on scale-out, %s protocol', (protocol) => {
  it('reads a moved key from its previous server and copies it, so a scale-out costs no miss', async () => {
    const warm = client({ protocol, routes: { default: { route: 'warmUp', child: 'main', ttl: 600 } } });
    const cold = client({ protocol });
    await warm.setMulti(KEYS.map((key) => [key, `v-${key}`] as const));
    const diff = await warm.setServers(addresses(4));
    await cold.setServers(addresses(4));
    const moved = KEYS.filter((key) => diff?.moved(key));
    expect(moved.length).toBeGreaterThan(20);
    expect(await misses(cold, moved)).toBe(moved.length); // without warm-up, every moved key misses
    expect(await misses(warm, KEYS)).toBe(0);
    const newcomer = nodes[3] as MemcachedProcess;
    const missesAfterWarm = await getMisses(newcomer);
    expect(await misses(warm, moved)).toBe(0); // copied: the new owner answers alone now
    expect(await getMisses(newcomer)).toBe(missesAfterWarm);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(warm.routeStats()?.warmCopies).toBe(moved.length);
    expect(warm.routeStats()?.warmHits).toBe(moved.length);
  });

  it('never brings back a value overwritten or deleted after the change', async () => {
    const warm = client({ protocol, routes: { default: { route: 'warmUp', child: 'main' } } });
    await warm.setMulti(KEYS.map((key) => [key, 'old'] as const));
    const diff = await warm.setServers(addresses(4));
    const moved = KEYS.filter((key) => diff?.moved(key));
    const [rewritten, removed] = [moved.slice(0, 10), moved.slice(10, 20)];
    for (const key of rewritten) await warm.set(key, 'new');
    for (const key of removed) await warm.delete(key);
    const newcomer = new Client((nodes[3] as MemcachedProcess).address);
    for (const key of rewritten) await newcomer.delete(key); // as if evicted from the new owner
    for (const key of rewritten) expect(await warm.get(key)).toBeUndefined();
    for (const key of removed) expect(await warm.get(key)).toBeUndefined();
  });

  it('warms a new pool from another pool', async () => {
    const [oldNode, newNode] = nodes as [MemcachedProcess, MemcachedProcess];
    const target = new Client(newNode.address, {
      protocol,
      pools: { previous: { servers: oldNode.address } },
      routes: { default: { route: 'warmUp', child: 'main', from: 'previous' } },
    });
    clients.push(target);
    await new Client(oldNode.address).set('p:1', 'from the old pool');
    expect(await target.get('p:1')).toBe('from the old pool');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await new Client(newNode.address).get('p:1')).toBe('from the old pool');
  });
});

describe.each(DIALECTS)('warm-up with the previous owner dead, %s protocol', (protocol) => {
  it("keeps a write: the old copy's delete never reaches the key's new owner, and its failure is not the write's", async () => {
    const [before, after] = await Promise.all([startMemcached(), startMemcached()]);
    try {
      const warm = new Client(before.address, {
        protocol,
        socketMaxFailures: 1,
        routes: { default: { route: 'warmUp', child: 'main' } },
      });
      clients.push(warm);
      const diff = await warm.setServers([before.address, after.address]);
      const moved = KEYS.filter((key) => diff?.moved(key)).slice(0, 10);
      expect(moved.length).toBe(10);
      await before.stop();
      for (const key of moved) await warm.set(key, 'new');
      for (const key of moved) expect(await warm.get(key)).toBe('new');
    } finally {
      await Promise.all([before.stop(), after.stop()]);
    }
  });
});

describe.each(DIALECTS)('warm-up racing a delete, %s protocol', (protocol) => {
  it('does not copy a value read from the old pool while this process deleted the key', async () => {
    const [oldNode, newNode] = nodes as [MemcachedProcess, MemcachedProcess];
    const slowOld = await startFaultProxy({ host: '127.0.0.1', port: oldNode.port });
    try {
      const target = new Client(newNode.address, {
        protocol,
        pools: { previous: { servers: `127.0.0.1:${slowOld.port}` } },
        routes: { default: { route: 'warmUp', child: 'main', from: 'previous' } },
      });
      clients.push(target);
      await new Client(oldNode.address).set('race:1', 'old');
      await target.get('race:0'); // connected to both pools before the replies are held back
      slowOld.set({ replyDelay: 200 });
      const read = target.get('race:1'); // misses on the new pool, then waits on the old one
      await new Promise((resolve) => setTimeout(resolve, 50));
      await target.delete('race:1');
      // Read before the delete reached the old pool, as a rule; on a machine slow enough that the
      // delete overtook the read's first step, the read saw the key gone, which is no race at all.
      expect(['old', undefined]).toContain(await read);
      slowOld.heal();
      expect(await target.get('race:1')).toBeUndefined();
      expect(await new Client(newNode.address).get('race:1')).toBeUndefined();
    } finally {
      await slowOld.close();
    }
  });
});

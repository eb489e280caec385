import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientOptions, type RoutesOption } from '../../../src/index.ts';
import { DIALECTS } from '../../support/dialects.ts';

let nodes: MemcachedProcess[];
let slow: FaultProxy;
const clients: Client[] = [];

beforeAll(async () => {
  nodes = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  slow = await startFaultProxy({ host: '127.0.0.1', port: (nodes[1] as MemcachedProcess).port });
});
afterAll(async () => {
  await slow.close();
  await Promise.all(nodes.map((node) => node.stop()));
});
afterEach(async () => {
  slow.heal();
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const node of nodes) {
    if (!node.running) await node.start();
    await new Client(node.address).flush().catch(() => {});
  }
});

function client(servers: string, options: ClientOptions): Client {
  const made = new Client(servers, { socketTimeout: 0.5, socketMaxFailures: 1, ...options });
  clients.push(made);
  return made;
}

const direct = (node: MemcachedProcess, key: string): Promise<unknown> => new Client(node.address).get(key);

describe.each(DIALECTS)('replicated pools, %s protocol', (protocol) => {
  const replicated = (): Client => {
    const [first, , third] = nodes as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
    return client(first.address, {
      protocol,
      pools: { replica: { servers: `127.0.0.1:${slow.port}` }, spare: { servers: third.address } },
      routes: {
        write: { route: 'allSync', children: ['main', 'replica'] },
        read: { route: 'allFastest', children: ['main', 'replica'] },
      },
    });
  };

  it('allSync writes every replica; allFastest reads answer while one replica is slowed or dead', async () => {
    const target = replicated();
    const [first, second] = nodes as [MemcachedProcess, MemcachedProcess];
    expect(await target.set('r:1', 'both')).toBe(true);
    expect(await direct(first, 'r:1')).toBe('both');
    expect(await direct(second, 'r:1')).toBe('both');
    slow.set({ replyDelay: 200 });
    const reads = await Promise.all(Array.from({ length: 20 }, () => target.get('r:1')));
    expect(reads.every((value) => value === 'both')).toBe(true);
    slow.heal();
    await first.stop();
    expect(await target.get('r:1')).toBe('both');
    // A write that one replica could not take fails, so the caller knows the copies differ.
    await expect(target.set('r:2', 'one')).rejects.toThrow();
  });

  it('deletes and flushes reach every pool a route names', async () => {
    const target = replicated();
    const [first, second, third] = nodes as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
    await target.set('r:3', 'x');
    expect(await target.delete('r:3')).toBe(true);
    expect(await direct(first, 'r:3')).toBeUndefined();
    expect(await direct(second, 'r:3')).toBeUndefined();
    await new Client(third.address).set('r:4', 'spare');
    await target.set('r:4', 'y');
    const flushed = await target.flush();
    expect(Object.keys(flushed).sort()).toEqual([first.address, third.address, `127.0.0.1:${slow.port}`].sort());
    expect(await direct(third, 'r:4')).toBeUndefined();
    expect(await direct(second, 'r:4')).toBeUndefined();
  });

  /** A client on the first node whose pools 'a' (second node) and 'b' (third) are zones az-a and az-b. */
  const zoned = (routes: RoutesOption): Client => {
    const [first, second, third] = nodes as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
    return client(first.address, {
      protocol,
      pools: {
        a: { servers: second.address, zone: 'az-a' },
        b: { servers: third.address, zone: 'az-b' },
      },
      routes,
    });
  };

  it('zoneFailover reads the local zone first, then every far zone at once, on a failure or a miss', async () => {
    const [first, second, third] = nodes as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
    const target = zoned({
      write: { route: 'allSync', children: ['a', 'b'] },
      read: { route: 'zoneFailover', children: ['a', 'b'], local: 'az-a' },
    });
    await target.set('z:1', 'everywhere');
    await new Client(third.address).set('z:far', 'only far');
    expect(await target.get('z:1')).toBe('everywhere');
    expect(await target.get('z:far')).toBe('only far');
    await second.stop();
    expect(await target.get('z:1')).toBe('everywhere');
    expect(target.routeStats()?.failovers).toBeGreaterThanOrEqual(2);
    expect(await direct(first, 'z:1')).toBeUndefined(); // 'main' is on no route
  });

  it('a delete under zoneFailover reaches every zone, so a far copy cannot answer for the deleted key', async () => {
    const [, second, third] = nodes as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
    const target = zoned({ default: { route: 'zoneFailover', children: ['a', 'b'], local: 'az-a' } });
    await Promise.all([new Client(second.address).set('z:del', 'v1'), new Client(third.address).set('z:del', 'v1')]);
    expect(await target.delete('z:del')).toBe(true);
    expect(await direct(third, 'z:del')).toBeUndefined();
    expect(await target.get('z:del')).toBeUndefined();
  });

  it('a delete under a shadow route reaches the shadow every time, whatever the rate', async () => {
    const [first, , third] = nodes as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
    const target = client(first.address, {
      protocol,
      pools: { candidate: { servers: third.address } },
      routes: { default: { route: 'shadow', child: 'main', shadow: 'candidate', rate: 0 } },
    });
    await Promise.all([new Client(first.address).set('s:del', 'v'), new Client(third.address).set('s:del', 'v')]);
    expect(await target.delete('s:del')).toBe(true);
    await expect.poll(() => direct(third, 's:del')).toBeUndefined();
  });

  it('shadows a sampled share of reads to another pool and counts the answers that differ', async () => {
    const [first, , third] = nodes as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
    const shadowed = (rate: number): Client =>
      client(first.address, {
        protocol,
        pools: { candidate: { servers: third.address } },
        routes: { read: { route: 'shadow', child: 'main', shadow: 'candidate', rate } },
      });
    const all = shadowed(1);
    await new Client(first.address).setMulti([
      ['s:1', 'a'],
      ['s:2', 'b'],
    ]);
    await new Client(third.address).set('s:1', 'a');
    expect(await all.get('s:1')).toBe('a');
    expect(await all.get('s:2')).toBe('b');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(all.routeStats()).toMatchObject({ shadowed: 2, shadowMismatches: 1 });
    const none = shadowed(0);
    expect(await none.get('s:2')).toBe('b');
    expect(none.routeStats()).toMatchObject({ shadowed: 0, shadowMismatches: 0 });
  });
});

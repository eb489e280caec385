import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { keyHash } from '../../../src/cluster/rings/dalli-ring.ts';
import type { Server } from '../../../src/cluster/server.ts';
import { Client, InvalidArgumentError } from '../../../src/index.ts';
import { resolveClientOptions } from '../../../src/options/resolve-client-options.ts';

const names = ['127.0.0.1:21211', '127.0.0.1:21212', '127.0.0.1:21213'];
const servers = (): (Server & { available: boolean })[] =>
  names.map((name) => ({ name, weight: 1, available: true }) as never);
const keys = Array.from({ length: 2_000 }, (_, i) => `user:${i}`);
const DISTRIBUTIONS = ['dalli', 'ketama', 'libmemcached-consistent', 'twemproxy', 'node-memcached', 'memjs'] as const;

describe('the distribution option', () => {
  it("defaults to Dalli's ring, unchanged", () => {
    const client = new Client(names);
    const dalli = new Client(names, { distribution: 'dalli' });
    for (const key of keys) expect(client.locate(key)).toEqual(dalli.locate(key));
    expect(client.locate('k')).toMatchObject({ distribution: 'dalli', hash: keyHash('k') });
    void client.close();
    void dalli.close();
  });

  it.each(DISTRIBUTIONS)('locate() reports %s as the distribution in use', (distribution) => {
    const client = new Client(names, { distribution });
    expect(client.locate('user:1').distribution).toBe(distribution);
    void client.close();
  });

  // All three descend from libketama: with equal weights and unnamed servers they place alike, and
  // part ways on weights (float vs double point counts), config names and port-11211 naming.
  it("places keys alike for libketama's three heirs at equal weights, and each other way differently", () => {
    const placement = (distribution: (typeof DISTRIBUTIONS)[number], list: string[]): string => {
      const client = new Client(list, { distribution });
      const placed = keys.map((key) => client.locate(key).server).join();
      void client.close();
      return placed;
    };
    const equal = Object.fromEntries(
      DISTRIBUTIONS.map((distribution) => [distribution, placement(distribution, names)]),
    );
    expect(equal.twemproxy).toBe(equal.ketama);
    expect(equal['node-memcached']).toBe(equal.ketama);
    expect(new Set(Object.values(equal)).size).toBe(4);
  });

  it.each([
    ['an unknown name', 'consistent'],
    ['twemproxy names with a space', { name: 'twemproxy', serverNames: ['a b'] }],
    ['duplicate twemproxy names', { name: 'twemproxy', serverNames: ['a', 'a'] }],
    ['a number', 1],
  ])('refuses %s with a typed error before connecting', (_, distribution) => {
    expect(() => resolveClientOptions({ distribution } as never)).toThrow(InvalidArgumentError);
  });

  it('refuses twemproxy server names that do not match the server count', () => {
    const distribution = { name: 'twemproxy', serverNames: ['a', 'b'] } as const;
    expect(() => new Client(names, { distribution })).toThrow(/2 names for 3 servers/);
  });
});

describe('failover under another placement stays Dalli’s', () => {
  it.each(DISTRIBUTIONS)("%s: a down server's keys go to live servers; other keys stay put", (distribution) => {
    const list = servers();
    const cluster = new Cluster(list, true, distribution);
    const before = keys.map((key) => cluster.route(key, 'get'));
    (list[1] as { available: boolean }).available = false;
    keys.forEach((key, i) => {
      const now = cluster.route(key, 'get');
      expect(now.available).toBe(true);
      if (before[i] !== list[1]) expect(now).toBe(before[i]);
      expect(cluster.locate(key).server).toBe(before[i]?.name);
    });
  });

  it.each(DISTRIBUTIONS)('%s: with failover off, a down server’s keys have no route', (distribution) => {
    const list = servers();
    const cluster = new Cluster(list, false, distribution);
    (list[0] as { available: boolean }).available = false;
    const lost = keys.filter((key) => cluster.locate(key).server === list[0]?.name);
    expect(lost.length).toBeGreaterThan(0);
    for (const key of lost) expect(cluster.locate(key).route).toBeUndefined();
  });
});

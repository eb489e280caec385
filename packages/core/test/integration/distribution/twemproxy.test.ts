import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDefaultPortServers, startIpv6Servers } from '../../support/loopback-servers.ts';
import { migrationKeys } from '../../support/migration-keys.ts';
import { startNutcracker } from '../../support/nutcracker.ts';
import {
  flushAll,
  MOVE_TEST_TIMEOUT_MS,
  movesOnFourthServer,
  ourPlacement,
  placementOnServers,
  unreadable,
} from '../../support/placement.ts';
import { writeThroughPylibmc } from '../../support/pylibmc.ts';

// The oracle is nutcracker 0.5.0 itself (distribution: ketama, hash: md5). Keys are written through
// it by pylibmc speaking the text protocol to the one proxy address, so the proxy alone places them.
let servers: MemcachedProcess[];
const addresses = (count: number): string[] => servers.slice(0, count).map((server) => server.address);

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 4 }, () => startMemcached()));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** Where nutcracker, configured with `lines`, puts `keys`. */
async function placedByNutcracker(lines: readonly string[], keys: readonly string[], count: number): Promise<string[]> {
  await flushAll(addresses(4));
  const proxy = await startNutcracker(lines);
  try {
    writeThroughPylibmc([proxy.address], {}, keys);
  } finally {
    await proxy.stop();
  }
  return placementOnServers(addresses(count), keys);
}

describe("distribution 'twemproxy' agrees with nutcracker 0.5.0", () => {
  it.each([
    ['equal weights', [1, 1, 1]],
    ['unequal weights', [3, 1, 2]],
    // 29/60 of 160 points × 3 servers is 228 in C float and 232 in double: only float agrees.
    ['weights 29:30:1, counted in single precision', [29, 30, 1]],
  ])('finds all 10,000 keys written through nutcracker onto 3 servers where it put them (%s)', async (_, weights) => {
    const keys = migrationKeys(10_000);
    const entries = addresses(3).map((address, i) => `${address}:${weights[i]}`);
    const theirs = await placedByNutcracker(entries, keys, 3);
    const ours = ourPlacement(entries, { distribution: 'twemproxy' }, keys);
    expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    expect(await unreadable(entries, { distribution: 'twemproxy' }, keys)).toEqual([]);
  });

  it('follows the server names of its config rather than the addresses (10,000 keys)', async () => {
    const keys = migrationKeys(10_000);
    const names = ['cache-a', 'cache-b', 'cache-c'];
    const entries = addresses(3).map((address, i) => `${address}:${i + 1}`);
    const theirs = await placedByNutcracker(
      entries.map((entry, i) => `${entry} ${names[i]}`),
      keys,
      3,
    );
    const distribution = { name: 'twemproxy', serverNames: names } as const;
    const ours = ourPlacement(entries, { distribution }, keys);
    expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    expect(await unreadable(entries, { distribution }, keys)).toEqual([]);
  });

  it(
    'moves the same keys as nutcracker when a 4th server joins, about a quarter of 100,000',
    async () => {
      const keys = migrationKeys(100_000, 'move:');
      const entriesOf = (count: number): string[] => addresses(count).map((address) => `${address}:1`);
      const { ours, peer } = await movesOnFourthServer(
        'twemproxy',
        (count) => placedByNutcracker(entriesOf(count), keys, count),
        (count) => ourPlacement(entriesOf(count), { distribution: 'twemproxy' }, keys),
      );
      expect(ours).toBe(peer);
      expect(Math.abs(ours - 0.25)).toBeLessThan(0.07);
    },
    MOVE_TEST_TIMEOUT_MS,
  );

  it('names unnamed servers on port 11211 by their host, as nutcracker does (10,000 keys)', async () => {
    const cluster = await startDefaultPortServers(3);
    const proxy = await startNutcracker(cluster.addresses.map((address) => `${address}:1`));
    try {
      const keys = migrationKeys(10_000);
      writeThroughPylibmc([proxy.address], {}, keys);
      const theirs = await placementOnServers(cluster.addresses, keys);
      const ours = ourPlacement(cluster.addresses, { distribution: 'twemproxy' }, keys);
      expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    } finally {
      await proxy.stop();
      await cluster.stop();
    }
  });

  it('places keys on Unix sockets as nutcracker does (10,000 keys)', async () => {
    const sockets = await Promise.all(Array.from({ length: 3 }, () => startMemcached({ kind: 'unix' })));
    const paths = sockets.map((socket) => socket.address);
    const proxy = await startNutcracker(paths.map((path) => `${path}:1`));
    try {
      const keys = migrationKeys(10_000);
      writeThroughPylibmc([proxy.address], {}, keys);
      const theirs = await placementOnServers(paths, keys);
      const ours = ourPlacement(paths, { distribution: 'twemproxy' }, keys);
      expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    } finally {
      await proxy.stop();
      await Promise.all(sockets.map((socket) => socket.stop()));
    }
  });
  it('places keys on IPv6 servers as nutcracker does (10,000 keys)', async () => {
    const cluster = await startIpv6Servers(3);
    // nutcracker's config takes IPv6 hosts without brackets: `::1:port:weight`.
    const proxy = await startNutcracker(cluster.addresses.map((address) => `${address.replace(/^\[(.*)\]/, '$1')}:1`));
    try {
      const keys = migrationKeys(10_000);
      writeThroughPylibmc([proxy.address], {}, keys);
      const theirs = await placementOnServers(cluster.addresses, keys);
      const ours = ourPlacement(cluster.addresses, { distribution: 'twemproxy' }, keys);
      expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    } finally {
      await proxy.stop();
      await cluster.stop();
    }
  });
});

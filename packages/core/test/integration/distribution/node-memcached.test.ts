import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../src/index.ts';
import { startIpv6Servers } from '../../support/loopback-servers.ts';
import { migrationKeys, valueFor } from '../../support/migration-keys.ts';
import { call, forEachKey, nodeMemcached } from '../../support/npm-peers.ts';
import {
  flushAll,
  MOVE_TEST_TIMEOUT_MS,
  movesOnFourthServer,
  ourPlacement,
  placementOnServers,
  unreadable,
} from '../../support/placement.ts';

// The oracle is the `memcached` npm package 2.2.2 (its HashRing is node-hashring 3.2.0), pinned as a
// dev dependency, writing over its own connections.
let servers: MemcachedProcess[];
const addresses = (count: number): string[] => servers.slice(0, count).map((server) => server.address);

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 4 }, () => startMemcached()));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function writeThroughNodeMemcached(
  config: string[] | Record<string, number>,
  keys: readonly string[],
): Promise<void> {
  const peer = nodeMemcached(config);
  try {
    await forEachKey(keys, (key) => call((done) => peer.set(key, valueFor(key), 0, done)), 32);
  } finally {
    peer.end();
  }
}

describe("distribution 'node-memcached' agrees with memcached@2.2.2", () => {
  it.each([
    ['equal weights', [1, 1, 1]],
    ['unequal weights', [3, 1, 2]],
    // node-hashring counts in double precision, unlike libmemcached: these weights tell them apart.
    ['weights 29:30:1, counted in double precision', [29, 30, 1]],
  ])('finds all 10,000 keys memcached@2.2.2 wrote onto 3 servers where it put them (%s)', async (_, weights) => {
    const keys = migrationKeys(10_000);
    await flushAll(addresses(3));
    await writeThroughNodeMemcached(
      Object.fromEntries(addresses(3).map((address, i) => [address, weights[i] ?? 1])),
      keys,
    );
    const theirs = await placementOnServers(addresses(3), keys);
    const entries = addresses(3).map((address, i) => `${address}:${weights[i]}`);
    const ours = ourPlacement(entries, { distribution: 'node-memcached' }, keys);
    expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    expect(await unreadable(entries, { distribution: 'node-memcached' }, keys)).toEqual([]);
  });

  it(
    'moves the same keys as memcached@2.2.2 when a 4th server joins, about a quarter of 100,000',
    async () => {
      const keys = migrationKeys(100_000, 'move:');
      const { ours, peer } = await movesOnFourthServer(
        'node-memcached',
        async (count) => {
          await flushAll(addresses(4));
          await writeThroughNodeMemcached(addresses(count), keys);
          return placementOnServers(addresses(count), keys);
        },
        (count) => ourPlacement(addresses(count), { distribution: 'node-memcached' }, keys),
      );
      expect(ours).toBe(peer);
      expect(Math.abs(ours - 0.25)).toBeLessThan(0.07);
    },
    MOVE_TEST_TIMEOUT_MS,
  );

  // memcached@2.2.2 connects lazily, so its ring can be asked about addresses nothing listens on.
  it.each([
    [
      'port 11211, written with and without it',
      ['127.0.0.1:11211', '127.0.0.2', '127.0.0.3:11211'],
      ['127.0.0.1:11211', '127.0.0.2', '127.0.0.3:11211'],
    ],
    ['IPv6 hosts', ['::1:11211', '::1:11212', '::1:11213'], ['[::1]:11211', '[::1]:11212', '[::1]:11213']],
  ])('names ring points as memcached@2.2.2 does for %s', (_, theirConfig, ourConfig) => {
    const peer = nodeMemcached(theirConfig);
    const client = new Client(ourConfig, { distribution: 'node-memcached' });
    const ourName = new Map(theirConfig.map((server, i) => [server, client.servers()[i]?.name]));
    const keys = migrationKeys(10_000);
    const differing = keys.filter((key) => client.locate(key).server !== ourName.get(peer.HashRing.get(key)));
    peer.end();
    void client.close();
    expect(differing).toEqual([]);
  });

  it('places keys on IPv6 servers as memcached@2.2.2 does, written as it takes them (10,000 keys)', async () => {
    const cluster = await startIpv6Servers(3);
    try {
      const keys = migrationKeys(10_000);
      await writeThroughNodeMemcached(
        cluster.addresses.map((address) => address.replace(/^\[(.*)\]/, '$1')),
        keys,
      );
      const theirs = await placementOnServers(cluster.addresses, keys);
      const ours = ourPlacement(cluster.addresses, { distribution: 'node-memcached' }, keys);
      expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    } finally {
      await cluster.stop();
    }
  });

  // memcached@2.2.2 cannot reach a Unix socket (it dials `path:11211`), so no key of it lives on one.
  it('refuses Unix sockets, which memcached@2.2.2 cannot reach, with a clear error', async () => {
    const socket = await startMemcached({ kind: 'unix' });
    try {
      const peer = nodeMemcached([socket.address]);
      await expect(call((done) => peer.set('k', 'v', 0, done))).rejects.toThrow(/ENOENT/);
      peer.end();
      expect(() => new Client([socket.address, addresses(1)[0] ?? ''], { distribution: 'node-memcached' })).toThrow(
        /memcached 2\.x cannot reach/,
      );
    } finally {
      await socket.stop();
    }
  });
});

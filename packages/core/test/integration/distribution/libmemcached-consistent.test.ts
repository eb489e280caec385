import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationKeys } from '../../support/migration-keys.ts';
import {
  flushAll,
  MOVE_TEST_TIMEOUT_MS,
  movesOnFourthServer,
  ourPlacement,
  placementOnServers,
  unreadable,
} from '../../support/placement.ts';
import { writeThroughPylibmc } from '../../support/pylibmc.ts';

// The oracle is libmemcached through pylibmc with {"ketama": True}, the setting pylibmc's own docs
// show: libmemcached's unweighted consistent distribution, not libketama (see ketama.test.ts).
const BEHAVIORS = { ketama: true };
let servers: MemcachedProcess[];
const addresses = (count: number): string[] => servers.slice(0, count).map((server) => server.address);

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 4 }, () => startMemcached()));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

describe('distribution \'libmemcached-consistent\' agrees with pylibmc {"ketama": True}', () => {
  it.each([
    ['equal weights', [1, 1, 1]],
    ['unequal weights, which switch libmemcached to the weighted MD5 continuum', [3, 1, 2]],
  ])('finds all 10,000 keys pylibmc wrote onto 3 servers where it put them (%s)', async (_, weights) => {
    const keys = migrationKeys(10_000);
    const entries = addresses(3).map((address, i) => `${address}:${weights[i]}`);
    await flushAll(addresses(3));
    writeThroughPylibmc(entries, BEHAVIORS, keys);
    const theirs = await placementOnServers(addresses(3), keys);
    const ours = ourPlacement(entries, { distribution: 'libmemcached-consistent' }, keys);
    expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    expect(await unreadable(entries, { distribution: 'libmemcached-consistent' }, keys)).toEqual([]);
  });

  it(
    'moves the same keys as libmemcached when a 4th server joins, about a quarter of 100,000',
    async () => {
      const keys = migrationKeys(100_000, 'move:');
      const { ours, peer } = await movesOnFourthServer(
        'libmemcached-consistent',
        async (count) => {
          await flushAll(addresses(4));
          writeThroughPylibmc(addresses(count), BEHAVIORS, keys);
          return placementOnServers(addresses(count), keys);
        },
        (count) => ourPlacement(addresses(count), { distribution: 'libmemcached-consistent' }, keys),
      );
      expect(ours).toBe(peer);
      // 100 points per server (not 160) spread the new server's share wider (σ ≈ 2.5 points).
      expect(Math.abs(ours - 0.25)).toBeLessThan(0.09);
    },
    MOVE_TEST_TIMEOUT_MS,
  );
});

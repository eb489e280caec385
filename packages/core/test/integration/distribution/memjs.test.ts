import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError } from '../../../src/index.ts';
import { migrationKeys, valueFor } from '../../support/migration-keys.ts';
import { forEachKey, memjsClient } from '../../support/npm-peers.ts';
import {
  flushAll,
  MOVE_TEST_TIMEOUT_MS,
  movesOnFourthServer,
  ourPlacement,
  placementOnServers,
  unreadable,
} from '../../support/placement.ts';

// The oracle is memjs 1.3.2 from npm, pinned as a dev dependency, writing over its own connections.
let servers: MemcachedProcess[];
const addresses = (count: number): string[] => servers.slice(0, count).map((server) => server.address);

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 4 }, () => startMemcached()));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function writeThroughMemjs(config: string[], keys: readonly string[]): Promise<void> {
  const peer = memjsClient(config);
  try {
    await forEachKey(keys, (key) => peer.set(key, valueFor(key), {}));
  } finally {
    peer.close();
  }
}

describe("distribution 'memjs' agrees with memjs 1.3.2", () => {
  it('finds all 10,000 keys memjs wrote onto 3 servers where it put them', async () => {
    const keys = migrationKeys(10_000);
    await flushAll(addresses(3));
    await writeThroughMemjs(addresses(3), keys);
    const theirs = await placementOnServers(addresses(3), keys);
    const ours = ourPlacement(addresses(3), { distribution: 'memjs' }, keys);
    expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    expect(await unreadable(addresses(3), { distribution: 'memjs' }, keys)).toEqual([]);
  });

  // memjs places keys by hash modulo the server count, so a 4th server moves about 3 keys in 4: the
  // distribution keeps that (it exists to share memjs's cluster), and the README says so.
  it(
    'moves the same keys as memjs when a 4th server joins: about three quarters of 100,000, as memjs does',
    async () => {
      const keys = migrationKeys(100_000, 'move:');
      const { ours, peer } = await movesOnFourthServer(
        'memjs',
        async (count) => {
          await flushAll(addresses(4));
          await writeThroughMemjs(addresses(count), keys);
          return placementOnServers(addresses(count), keys);
        },
        (count) => ourPlacement(addresses(count), { distribution: 'memjs' }, keys),
      );
      expect(ours).toBe(peer);
      expect(Math.abs(ours - 0.75)).toBeLessThan(0.03);
    },
    MOVE_TEST_TIMEOUT_MS,
  );

  it.each([
    ['weights', ['127.0.0.1:11211:2', '127.0.0.1:11212']],
    ['Unix sockets', ['/tmp/a.sock', '/tmp/b.sock']],
    ['IPv6 hosts', ['[::1]:11211', '[::1]:11212']],
  ])('refuses %s, which memjs cannot express, with a clear error', (_, config) => {
    expect(() => new Client(config, { distribution: 'memjs' })).toThrow(InvalidArgumentError);
    expect(() => new Client(config, { distribution: 'memjs' })).toThrow(/memjs/);
  });
});

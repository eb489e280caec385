import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { keyHash, Ring } from '../../../src/cluster/rings/dalli-ring.ts';
import type { Server } from '../../../src/cluster/server.ts';
import { ConnectionError, NoServerAvailableError, TimeoutError } from '../../../src/errors.ts';

/** Servers reduced to what routing reads: a name, a weight, and whether they are available. */
function servers(count: number): (Server & { available: boolean })[] {
  return Array.from(
    { length: count },
    (_, i) => ({ name: `127.0.0.1:${11211 + i}`, weight: 1, available: true }) as never,
  );
}
const keys = Array.from({ length: 2_000 }, (_, i) => `user:${i}`);

describe('Cluster routing', () => {
  it('sends every key to the only server, without a ring', () => {
    const [only] = servers(1);
    const cluster = new Cluster([only as Server], true);
    expect(cluster.route('anything', 'get')).toBe(only);
    expect(cluster.locate('anything')).toEqual({
      key: 'anything',
      hash: keyHash('anything'),
      distribution: 'dalli',
      server: only?.name,
      route: only?.name,
    });
  });

  it('follows the ring while every server is up', () => {
    const list = servers(3);
    const cluster = new Cluster(list, true);
    const ring = new Ring(list);
    for (const key of keys) expect(cluster.route(key, 'get')).toBe(list[ring.ownerOf(keyHash(key))]);
  });

  it("rehashes a down server's keys as Dalli does, CRC32(try + key), and leaves other keys alone", () => {
    const list = servers(3);
    const cluster = new Cluster(list, true);
    const ring = new Ring(list);
    (list[1] as { available: boolean }).available = false;
    for (const key of keys) {
      const owner = ring.ownerOf(keyHash(key));
      const routed = cluster.route(key, 'get');
      if (owner !== 1) {
        expect(routed).toBe(list[owner]);
        continue;
      }
      let expected: number | undefined;
      for (let attempt = 0; expected === undefined; attempt++) {
        const candidate = ring.ownerOf(keyHash(`${attempt}${key}`));
        if (candidate !== 1) expected = candidate;
      }
      expect(routed).toBe(list[expected]);
      expect(cluster.locate(key)).toMatchObject({ server: list[1]?.name, route: list[expected]?.name });
    }
  });

  it("fails with NoServerAvailableError when failover is off and the key's server is down", () => {
    const list = servers(3);
    const cluster = new Cluster(list, false);
    (list[0] as { available: boolean }).available = false;
    const ring = new Ring(list);
    const key = keys.find((candidate) => ring.ownerOf(keyHash(candidate)) === 0) as string;
    expect(() => cluster.route(key, 'get')).toThrow(NoServerAvailableError);
  });

  it('fails with NoServerAvailableError when every server is down', () => {
    const list = servers(3);
    for (const server of list) server.available = false;
    expect(() => new Cluster(list, true).route('k', 'get')).toThrow(/every server it could use is down/);
    expect(new Cluster(list, true).locate('k').route).toBeUndefined();
  });

  it('says why an empty cluster has no server: the last discovery error is the cause', () => {
    const cluster = new Cluster([], true);
    expect(() => cluster.route('k', 'get')).toThrow(/the cluster has no server$/);
    const refused = new ConnectionError('DNS: resolving memcached.cache.test failed', { operation: 'discovery' });
    cluster.discoveryError = refused;
    const error = caught(() => cluster.route('k', 'get'));
    expect(error).toBeInstanceOf(NoServerAvailableError);
    expect(error.cause).toBe(refused);
    expect(error.message).toContain('discovery failed: discovery: DNS: resolving memcached.cache.test failed');
    expect(caught(() => cluster.locate('k')).cause).toBe(refused);
  });

  it("carries the down servers' last errors as an AggregateError when every server is down", () => {
    const list = servers(3).map((server, i) =>
      Object.assign(server, {
        available: false,
        downCause:
          i === 2
            ? new TimeoutError('no reply within 200 ms', { server: server.name })
            : new ConnectionError('connect ECONNREFUSED', { server: server.name }),
      }),
    );
    const error = caught(() => new Cluster(list, true).route('k', 'get'));
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect((error.cause as AggregateError).errors).toEqual(list.map((server) => server.downCause));
    expect(error.message).toContain(`last error: ${list[0]?.name}: connect ECONNREFUSED and 2 more`);
  });

  it("carries the key's own server's last error when failover is off", () => {
    const list = servers(3);
    const ring = new Ring(list);
    const key = keys.find((candidate) => ring.ownerOf(keyHash(candidate)) === 1) as string;
    const down = new ConnectionError('connect ECONNREFUSED', { server: list[1]?.name });
    Object.assign(list[1] as object, { available: false, downCause: down });
    const error = caught(() => new Cluster(list, false).route(key, 'get'));
    expect(error.cause).toBe(down);
    expect(error.message).toContain(`${list[1]?.name} is down after: connect ECONNREFUSED`);
  });
});

function caught(run: () => unknown): NoServerAvailableError {
  try {
    run();
  } catch (error) {
    return error as NoServerAvailableError;
  }
  throw new Error('expected a NoServerAvailableError');
}

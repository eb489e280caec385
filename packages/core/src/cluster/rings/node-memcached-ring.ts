import { Continuum, hostAndPort, md5KeyHash } from './continuum.ts';
import type { KeyRing, RingMember } from './key-ring.ts';
import type { PointSetPlan, PointSetPlanner } from './point-sets.ts';
import { type SortedPoints, sortedPointsOf } from './sorted-points.ts';

/** node-hashring's virtual nodes per server at equal weights; each digest gives 4 points. */
const VNODES = 40;

/**
 * The `memcached` npm package 2.2.x, which places keys with node-hashring 3.2 in its default
 * `compatibility: 'ketama'`: `floor(weight / total × 40 × servers)` digests per server (double
 * precision, unlike libmemcached), four points per MD5 digest of `host-i` when the server was
 * written with port 11211, otherwise of the server string as written, `host:port-i`. node-hashring
 * splits that string at ":", so an IPv6 host never matches the default port and keeps its port.
 */
export class NodeMemcachedRing implements KeyRing {
  readonly distribution = 'node-memcached';
  readonly #continuum: Continuum;

  /** @param sorted the members' points, when already computed (see `buildRingInSlices`). */
  constructor(members: readonly RingMember[], sorted: SortedPoints = sortedPointsOf(nodeMemcachedPlans(members))) {
    this.#continuum = new Continuum(sorted);
  }

  hash(wireKey: string): number {
    return md5KeyHash(wireKey);
  }

  ownerOf(hash: number): number {
    return this.#continuum.ownerOf(hash);
  }

  ownersOfAscending(hashes: Uint32Array): Uint32Array {
    return this.#continuum.ownersOfAscending(hashes);
  }
}

/** node-hashring's continuum: `floor(weight / total × 40 × servers)` MD5 digests per server, four points each. */
export function nodeMemcachedPlanner(members: readonly RingMember[]): PointSetPlanner {
  const totalWeight = members.reduce((sum, member) => sum + member.weight, 0);
  const servers = members.length;
  return (member) => ({
    member,
    hash: 'md5',
    prefix: `${pointPrefix(member.name)}-`,
    names: Math.floor((member.weight / totalWeight) * VNODES * servers),
  });
}

/** Every member's plan, for a ring built in one go. */
export function nodeMemcachedPlans(members: readonly RingMember[]): PointSetPlan[] {
  return members.map(nodeMemcachedPlanner(members));
}

function pointPrefix(name: string): string {
  const endpoint = hostAndPort(name);
  return endpoint !== undefined && !endpoint.host.includes(':') && endpoint.port === 11211 ? endpoint.host : name;
}

import { Continuum, hostAndPort, ketamaPointCount, md5KeyHash } from './continuum.ts';
import type { KeyRing, RingMember } from './key-ring.ts';
import type { PointSetPlan, PointSetPlanner } from './point-sets.ts';
import { type SortedPoints, sortedPointsOf } from './sorted-points.ts';

/**
 * libmemcached's weighted ketama (`MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA_WEIGHTED`, what
 * pylibmc's `{"ketama_weighted": True}` and PHP's `libketama_compatible` give): 160 points per server at equal
 * weights, four per MD5 digest of `host-i` when the port is 11211, otherwise `host:port-i`. A
 * socket path has port 0, so its points are `path:0-i`.
 */
export class KetamaRing implements KeyRing {
  readonly distribution = 'ketama';
  readonly #continuum: Continuum;

  /** @param sorted the members' points, when already computed (see `buildRingInSlices`). */
  constructor(members: readonly RingMember[], sorted: SortedPoints = sortedPointsOf(weightedKetamaPlans(members))) {
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

/** libmemcached's weighted continuum: `floor(share × 40 × servers)` MD5 digests per server, four points each. */
export function weightedKetamaPlanner(members: readonly RingMember[]): PointSetPlanner {
  const totalWeight = members.reduce((sum, member) => sum + member.weight, 0);
  const servers = members.length;
  return (member) => ({
    member,
    hash: 'md5',
    prefix: `${libmemcachedPointPrefix(member.name)}-`,
    names: ketamaPointCount(member.weight, totalWeight, servers) / 4,
  });
}

/** Every member's plan, for a ring built in one go. */
export function weightedKetamaPlans(members: readonly RingMember[]): PointSetPlan[] {
  return members.map(weightedKetamaPlanner(members));
}

/** libmemcached names a server's points `host` (port 11211), `host:port`, or `path:0` for a socket. */
export function libmemcachedPointPrefix(name: string): string {
  const endpoint = hostAndPort(name);
  if (endpoint === undefined) return `${name}:0`;
  return endpoint.port === 11211 ? endpoint.host : name;
}

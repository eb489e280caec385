import { Continuum, hostAndPort, ketamaPointCount, md5KeyHash } from './continuum.ts';
import type { KeyRing, RingMember } from './key-ring.ts';
import type { PointSetPlan, PointSetPlanner } from './point-sets.ts';
import { type SortedPoints, sortedPointsOf } from './sorted-points.ts';

/**
 * twemproxy (nutcracker 0.5.0) with `distribution: ketama` and `hash: md5`: libmemcached's maths,
 * with each server's points named `<name>-i`. The name is the one given in nutcracker's config
 * (`- 127.0.0.1:11212:1 cache-a`), else the host when the port is 11211, else `host:port`; an
 * unnamed Unix socket is named `path:`, colon included, as nutcracker 0.5.0 does (found against it).
 */
export class TwemproxyRing implements KeyRing {
  readonly distribution = 'twemproxy';
  readonly #continuum: Continuum;

  /**
   * @param names the servers' names from nutcracker's config, in order; absent for unnamed servers.
   * @param sorted the members' points, when already computed (see `buildRingInSlices`).
   */
  constructor(
    members: readonly RingMember[],
    names?: readonly string[],
    sorted: SortedPoints = sortedPointsOf(twemproxyPlans(members, names)),
  ) {
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

/** nutcracker's continuum: libmemcached's point counts, on the servers' names. */
export function twemproxyPlanner(members: readonly RingMember[], names?: readonly string[]): PointSetPlanner {
  const totalWeight = members.reduce((sum, member) => sum + member.weight, 0);
  const servers = members.length;
  return (member, owner) => ({
    member,
    hash: 'md5',
    prefix: `${names?.[owner] ?? defaultName(member.name)}-`,
    names: ketamaPointCount(member.weight, totalWeight, servers) / 4,
  });
}

/** Every member's plan, for a ring built in one go. */
export function twemproxyPlans(members: readonly RingMember[], names?: readonly string[]): PointSetPlan[] {
  return members.map(twemproxyPlanner(members, names));
}

function defaultName(name: string): string {
  const endpoint = hostAndPort(name);
  if (endpoint === undefined) return `${name}:`;
  return endpoint.port === 11211 ? endpoint.host : name;
}

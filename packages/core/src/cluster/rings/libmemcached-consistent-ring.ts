import { Continuum } from './continuum.ts';
import { libmemcachedPointPrefix, weightedKetamaPlanner } from './ketama-ring.ts';
import type { KeyRing, RingMember } from './key-ring.ts';
import { oneAtATimeBytes, type PointSetPlan, type PointSetPlanner } from './point-sets.ts';
import { type SortedPoints, sortedPointsOf } from './sorted-points.ts';

/** libmemcached's points per server when ketama is not weighted (`MEMCACHED_POINTS_PER_SERVER`). */
const POINTS_PER_SERVER = 100;

/**
 * libmemcached's consistent distribution without `KETAMA_WEIGHTED` (`MEMCACHED_DISTRIBUTION_CONSISTENT`
 * or `CONSISTENT_KETAMA`, which pylibmc's `{"ketama": True}` selects): keys hashed with Jenkins
 * one-at-a-time (libmemcached's default hash), on 100 points per server, point i being the same hash
 * of `host-i` (port 11211) or `host:port-i`. libmemcached switches the continuum to the weighted
 * MD5 one ({@link KetamaRing}'s) as soon as a server has a weight above 1 (`server_add` in
 * `hosts.cc`), while keys keep the default hash; that quirk is kept, since it decides where keys are.
 */
export class LibmemcachedConsistentRing implements KeyRing {
  readonly distribution = 'libmemcached-consistent';
  readonly #continuum: Continuum;

  /** @param sorted the members' points, when already computed (see `buildRingInSlices`). */
  constructor(
    members: readonly RingMember[],
    sorted: SortedPoints = sortedPointsOf(libmemcachedConsistentPlans(members)),
  ) {
    this.#continuum = new Continuum(sorted);
  }

  hash(wireKey: string): number {
    return oneAtATime(wireKey);
  }

  ownerOf(hash: number): number {
    return this.#continuum.ownerOf(hash);
  }

  ownersOfAscending(hashes: Uint32Array): Uint32Array {
    return this.#continuum.ownersOfAscending(hashes);
  }
}

/** libhashkit's one-at-a-time of the UTF-8 text (see {@link oneAtATimeBytes}). */
export function oneAtATime(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return oneAtATimeBytes(bytes, bytes.length);
}

/** One-at-a-time points, or ketama's weighted MD5 ones as soon as a server weighs more than 1. */
export function libmemcachedConsistentPlanner(members: readonly RingMember[]): PointSetPlanner {
  if (members.some((member) => member.weight > 1)) return weightedKetamaPlanner(members);
  return (member) => ({
    member,
    hash: 'one-at-a-time',
    prefix: `${libmemcachedPointPrefix(member.name)}-`,
    names: POINTS_PER_SERVER,
  });
}

/** Every member's plan, for a ring built in one go. */
export function libmemcachedConsistentPlans(members: readonly RingMember[]): PointSetPlan[] {
  return members.map(libmemcachedConsistentPlanner(members));
}

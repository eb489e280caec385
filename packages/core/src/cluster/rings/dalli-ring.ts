import { crc32 } from 'node:zlib';
import type { KeyRing, RingMember } from './key-ring.ts';
import type { PointSetPlan, PointSetPlanner } from './point-sets.ts';
import { type SortedPoints, sortedPointsOf } from './sorted-points.ts';

/** Points per server at equal weights: libmemcached's number, and Dalli's. */
const POINTS_PER_SERVER = 160;

/** A key's hash as Dalli computes it: CRC32 (zlib) of its UTF-8 wire key. */
export function keyHash(wireKey: string): number {
  return crc32(wireKey);
}

/**
 * Dalli's consistent-hash ring, bit for bit, so Node and Ruby clients put every key on the same
 * server. Each server gets `floor(N × 160 × weight / totalWeight)` points; point i is the first 4
 * bytes (big-endian) of SHA1(name + ":" + i). A hash belongs to the point with the largest value at
 * or below it; below every point it wraps to the last point.
 */
export class Ring implements KeyRing {
  readonly distribution = 'dalli';

  /** Point values, ascending; equal values in member order. */
  readonly #points: Uint32Array;
  /** For each point, the index of its server among the members. */
  readonly #owners: Uint16Array | Uint32Array;

  /** @param sorted the members' points, when already computed (see `buildRingInSlices`). */
  constructor(members: readonly RingMember[], sorted: SortedPoints = sortedPointsOf(dalliPlans(members))) {
    this.#points = sorted.values;
    this.#owners = sorted.owners;
  }

  hash(wireKey: string): number {
    return keyHash(wireKey);
  }

  /** The index (among the members) of the server owning `hash`. */
  ownerOf(hash: number): number {
    const points = this.#points;
    // Binary search for the first point above the hash; the one before it owns the hash.
    let low = 0;
    let high = points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((points[middle] as number) > hash) high = middle;
      else low = middle + 1;
    }
    const index = low === 0 ? points.length - 1 : low - 1;
    return this.#owners[index] as number;
  }

  ownersOfAscending(hashes: Uint32Array): Uint32Array {
    const points = this.#points;
    const owners = new Uint32Array(hashes.length);
    // `above` counts the points at or below the hash, so it only moves forward as hashes grow.
    let above = 0;
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i] as number;
      while (above < points.length && (points[above] as number) <= hash) above++;
      owners[i] = this.#owners[above === 0 ? points.length - 1 : above - 1] as number;
    }
    return owners;
  }
}

/** Dalli's points: `floor(N × 160 × weight / totalWeight)` per server, point i hashing `<name>:<i>`. */
export function dalliPlanner(members: readonly RingMember[]): PointSetPlanner {
  const totalWeight = members.reduce((sum, member) => sum + member.weight, 0);
  const servers = members.length;
  return (member) => ({
    member,
    hash: 'sha1',
    prefix: `${member.name}:`,
    names: Math.floor((servers * POINTS_PER_SERVER * member.weight) / totalWeight),
  });
}

/** Every member's plan, for a ring built in one go. */
export function dalliPlans(members: readonly RingMember[]): PointSetPlan[] {
  return members.map(dalliPlanner(members));
}

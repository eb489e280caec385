import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { KeyRing, RingMember } from './key-ring.ts';

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

  /** Point values, ascending. */
  readonly #points: Uint32Array;
  /** For each point, the index of its server among the members. */
  readonly #owners: Uint16Array;

  constructor(members: readonly RingMember[]) {
    const totalWeight = members.reduce((sum, member) => sum + member.weight, 0);
    const points: { value: number; owner: number }[] = [];
    members.forEach((member, owner) => {
      const count = Math.floor((members.length * POINTS_PER_SERVER * member.weight) / totalWeight);
      for (let i = 0; i < count; i++) {
        const digest = createHash('sha1').update(`${member.name}:${i}`, 'utf8').digest();
        points.push({ value: digest.readUInt32BE(0), owner });
      }
    });
    points.sort((a, b) => a.value - b.value);
    this.#points = Uint32Array.from(points, (point) => point.value);
    this.#owners = Uint16Array.from(points, (point) => point.owner);
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
}

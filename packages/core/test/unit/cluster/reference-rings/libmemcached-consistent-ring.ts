import { Continuum, type ContinuumPoint } from './continuum.ts';
import { libmemcachedPointPrefix, weightedKetamaPoints } from './ketama-ring.ts';
import type { KeyRing, RingMember } from './key-ring.ts';

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

  constructor(members: readonly RingMember[]) {
    const weighted = members.some((member) => member.weight > 1);
    this.#continuum = new Continuum(weighted ? weightedKetamaPoints(members) : unweightedPoints(members));
  }

  hash(wireKey: string): number {
    return oneAtATime(wireKey);
  }

  ownerOf(hash: number): number {
    return this.#continuum.ownerOf(hash);
  }
}

/**
 * libhashkit's one-at-a-time over the UTF-8 bytes, each read as a C `char`: signed on the x86 and
 * ARM Linux builds pylibmc ships on, so bytes above 0x7f count as negative numbers.
 */
export function oneAtATime(text: string): number {
  let value = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    value = (value + ((byte << 24) >> 24)) >>> 0;
    value = (value + (value << 10)) >>> 0;
    value = (value ^ (value >>> 6)) >>> 0;
  }
  value = (value + (value << 3)) >>> 0;
  value = (value ^ (value >>> 11)) >>> 0;
  return (value + (value << 15)) >>> 0;
}

function unweightedPoints(members: readonly RingMember[]): ContinuumPoint[] {
  const points: ContinuumPoint[] = [];
  members.forEach((member, owner) => {
    const prefix = libmemcachedPointPrefix(member.name);
    for (let i = 0; i < POINTS_PER_SERVER; i++) points.push({ value: oneAtATime(`${prefix}-${i}`), owner });
  });
  return points;
}

import type { RingMember } from './key-ring.ts';
import { md5Words } from './md5.ts';
import { PointNames } from './point-names.ts';
import { sha1FirstWord } from './sha1.ts';

/**
 * How a distribution turns a server's point names into point values: the first big-endian word of
 * SHA-1 (Dalli), the four little-endian words of MD5 (libketama and the rings built on it), or
 * Jenkins one-at-a-time (libmemcached's unweighted consistent ring).
 */
export type PointHash = 'sha1' | 'md5' | 'one-at-a-time';

/** What one server contributes to a ring: the hash of each name `<prefix><i>` for i < names. */
export interface PointSetPlan {
  /** The server, by identity: its computed points are kept for as long as it is (see {@link pointSet}). */
  readonly member: object;
  readonly hash: PointHash;
  readonly prefix: string;
  readonly names: number;
}

/**
 * Makes member `index`'s plan, the fleet's totals (weights, server count) taken once beforehand:
 * a build in slices makes the plans one at a time, between its turns of the event loop.
 */
export type PointSetPlanner = (member: RingMember, index: number) => PointSetPlan;

/** Point values per name: MD5 gives four, the others one. */
const WORDS_PER_NAME = { sha1: 1, md5: 4, 'one-at-a-time': 1 } as const satisfies Record<PointHash, number>;

/**
 * Each server's point values computed so far, with the hash and prefix they are for. A point's
 * value depends only on its name, never on the rest of the fleet, so a membership change reuses
 * them and hashes only the servers that are new (or the points a server gains when the weights
 * shift). Kept per server object, so they go when the server does; one set per server, since a
 * client places every server with one distribution.
 */
const computed = new WeakMap<
  object,
  { readonly hash: PointHash; readonly prefix: string; readonly points: Uint32Array }
>();

/** The plan's point values, in name order (for MD5, four per name, in digest order). */
export function pointSet(plan: PointSetPlan): Uint32Array {
  const perName = WORDS_PER_NAME[plan.hash];
  const wanted = plan.names * perName;
  const kept = computed.get(plan.member);
  let points = kept?.hash === plan.hash && kept.prefix === plan.prefix ? kept.points : undefined;
  if (points === undefined || points.length < wanted) {
    const grown = carve(wanted);
    const known = points?.length ?? 0;
    if (points !== undefined) grown.set(points);
    fill(plan, known / perName, grown);
    computed.set(plan.member, { hash: plan.hash, prefix: plan.prefix, points: grown });
    points = grown;
  }
  return points.length === wanted ? points : points.subarray(0, wanted);
}

/**
 * Words of the buffers small point sets are carved from: 16 KiB, some 25 servers' points at equal
 * weights. 10,000 servers then hold 400 ArrayBuffers, not 10,000: each is one more object for the
 * garbage collector to sweep (8 ms of a 10,000-server build's pause went to it). A buffer lives as
 * long as one of its servers does, so a fleet that churns keeps at most 16 KiB per server alive.
 */
const SHARED_WORDS = 1 << 12;
let shared = new Uint32Array(SHARED_WORDS);
let sharedUsed = 0;

/** Room for `words` point values: a slice of the current shared buffer, or a buffer of its own when large. */
function carve(words: number): Uint32Array {
  if (words > SHARED_WORDS / 4) return new Uint32Array(words);
  if (sharedUsed + words > SHARED_WORDS) {
    shared = new Uint32Array(SHARED_WORDS);
    sharedUsed = 0;
  }
  sharedUsed += words;
  return shared.subarray(sharedUsed - words, sharedUsed);
}

/** Hashes names `from` … `plan.names - 1` into `out`. */
function fill(plan: PointSetPlan, from: number, out: Uint32Array): void {
  const names = new PointNames(plan.prefix);
  const bytes = names.bytes;
  switch (plan.hash) {
    case 'sha1':
      for (let i = from; i < plan.names; i++) out[i] = sha1FirstWord(bytes, names.write(i));
      return;
    case 'md5':
      for (let i = from; i < plan.names; i++) md5Words(bytes, names.write(i), out, i * 4);
      return;
    case 'one-at-a-time':
      for (let i = from; i < plan.names; i++) out[i] = oneAtATimeBytes(bytes, names.write(i));
      return;
  }
}

/**
 * libhashkit's one-at-a-time over bytes, each read as a C `char`: signed on the x86 and ARM Linux
 * builds pylibmc ships on, so bytes above 0x7f count as negative numbers.
 */
export function oneAtATimeBytes(bytes: Uint8Array, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) {
    value = (value + (((bytes[i] as number) << 24) >> 24)) | 0;
    value = (value + (value << 10)) | 0;
    value ^= value >>> 6;
  }
  value = (value + (value << 3)) | 0;
  value ^= value >>> 11;
  return (value + (value << 15)) >>> 0;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dalliPlans, Ring } from '../../../src/cluster/rings/dalli-ring.ts';
import { KetamaRing, weightedKetamaPlans } from '../../../src/cluster/rings/ketama-ring.ts';
import type { KeyRing, RingMember } from '../../../src/cluster/rings/key-ring.ts';
import { LibmemcachedConsistentRing } from '../../../src/cluster/rings/libmemcached-consistent-ring.ts';
import { NodeMemcachedRing, nodeMemcachedPlans } from '../../../src/cluster/rings/node-memcached-ring.ts';
import { type PointSetPlan, pointSet } from '../../../src/cluster/rings/point-sets.ts';
import { TwemproxyRing, twemproxyPlans } from '../../../src/cluster/rings/twemproxy-ring.ts';
import { Ring as ReferenceDalliRing } from './reference-rings/dalli-ring.ts';
import {
  KetamaRing as ReferenceKetamaRing,
  weightedKetamaPoints as referenceKetamaPoints,
} from './reference-rings/ketama-ring.ts';
import { LibmemcachedConsistentRing as ReferenceLibmemcachedRing } from './reference-rings/libmemcached-consistent-ring.ts';
import { NodeMemcachedRing as ReferenceNodeMemcachedRing } from './reference-rings/node-memcached-ring.ts';
import { TwemproxyRing as ReferenceTwemproxyRing } from './reference-rings/twemproxy-ring.ts';

// The rings as they were before they were made fast (createHash per point, objects sorted by a
// comparison), kept verbatim in ./reference-rings: placement must not change by a single hash.

/** What placement is: the old rings implement the old `KeyRing`, which had no more than this. */
type Placement = Pick<KeyRing, 'ownerOf'>;

interface Case {
  readonly build: (members: readonly RingMember[]) => KeyRing;
  readonly reference: (members: readonly RingMember[]) => Placement;
  /** Every point the fast build places: the hashes where its owner can change. */
  readonly plans: (members: readonly RingMember[]) => PointSetPlan[];
}

/** Room for an owner index below a point's value in one exact double (2^32 × 2^14 < 2^53). */
const OWNERS = 2 ** 14;

const names = (members: readonly RingMember[]) => members.map((member, i) => `node-${i}.${member.weight}`);
const cases: Record<string, Case> = {
  dalli: { build: (m) => new Ring(m), reference: (m) => new ReferenceDalliRing(m), plans: dalliPlans },
  ketama: { build: (m) => new KetamaRing(m), reference: (m) => new ReferenceKetamaRing(m), plans: weightedKetamaPlans },
  'libmemcached-consistent': {
    build: (m) => new LibmemcachedConsistentRing(m),
    reference: (m) => new ReferenceLibmemcachedRing(m),
    // Weighted fleets use ketama's points; the probes below also cover the unweighted ring's.
    plans: weightedKetamaPlans,
  },
  twemproxy: {
    build: (m) => new TwemproxyRing(m),
    reference: (m) => new ReferenceTwemproxyRing(m),
    plans: twemproxyPlans,
  },
  'twemproxy with server names': {
    build: (m) => new TwemproxyRing(m, names(m)),
    reference: (m) => new ReferenceTwemproxyRing(m, names(m)),
    plans: (m) => twemproxyPlans(m, names(m)),
  },
  'node-memcached': {
    build: (m) => new NodeMemcachedRing(m),
    reference: (m) => new ReferenceNodeMemcachedRing(m),
    plans: nodeMemcachedPlans,
  },
};

/** Hashes either side of every point of the fast ring, both ends of the circle, and random ones. */
function probes(points: readonly Uint32Array[], random: number, every = 1): number[] {
  const hashes = [0, 1, 0xfffffffe, 0xffffffff];
  for (const set of points) {
    for (let i = 0; i < set.length; i += every) {
      const value = set[i] as number;
      hashes.push(value, Math.max(0, value - 1), Math.min(0xffffffff, value + 1));
    }
  }
  for (let i = 0; i < random; i++) hashes.push(Math.floor(Math.random() * 2 ** 32));
  return hashes;
}

function expectSamePlacement(fast: Placement, reference: Placement, hashes: readonly number[]): void {
  const differing = hashes.filter((hash) => fast.ownerOf(hash) !== reference.ownerOf(hash));
  expect(differing.slice(0, 5)).toEqual([]);
}

const host = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `127.${a}.${b}.${c}`),
  // Names past 55 bytes take a second hash block.
  fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,70}$/),
  fc.nat(0xffff).map((n) => `fd00::${n.toString(16)}`),
);
const endpoint = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(host, fc.oneof(fc.constant(11211), fc.integer({ min: 1, max: 65535 }))) },
  // A socket path, in any Unicode, so point names are not ASCII.
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((p) => [`/tmp/${p}`]) },
);
const fleet = (maxLength: number, weights: fc.Arbitrary<number>) =>
  fc.uniqueArray(
    fc.tuple(endpoint, weights).map(([[where, port], weight]) => ({
      name: port === undefined ? (where as string) : `${where}:${port}`,
      weight,
    })),
    { minLength: 1, maxLength, selector: (member) => member.name },
  );

describe('fast ring build against the reference build', () => {
  it.each(Object.keys(cases))('%s: the same owner for every hash, for random fleets and weights', (name) => {
    const { build, reference, plans } = cases[name] as Case;
    fc.assert(
      fc.property(fleet(40, fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 20 }))), (members) => {
        const fast = build(members);
        expectSamePlacement(fast, reference(members), probes(plans(members).map(pointSet), 500));
      }),
      { numRuns: 25 },
    );
  });

  it('libmemcached-consistent: the same owner for every hash with equal weights (one-at-a-time points)', () => {
    fc.assert(
      fc.property(fleet(60, fc.constant(1)), (members) => {
        expectSamePlacement(
          new LibmemcachedConsistentRing(members),
          new ReferenceLibmemcachedRing(members),
          probes([], 20_000),
        );
      }),
      { numRuns: 25 },
    );
  });

  it.each(Object.keys(cases))('%s: points kept from an earlier build place as a fresh build does', (name) => {
    const { build, reference, plans } = cases[name] as Case;
    fc.assert(
      fc.property(
        fleet(30, fc.integer({ min: 1, max: 20 })),
        fc.integer({ min: 1, max: 20 }),
        fc.nat(),
        (members, weight, seed) => {
          build(members); // keeps every member's points
          // The same servers (same objects) in another order, one dropped, a new one, other weights:
          // some servers need fewer points than were kept, others more.
          const kept = members.filter((_, i) => i !== seed % members.length || members.length === 1);
          const next = [...kept.slice(seed % 3), { name: '127.1.2.3:4567', weight }, ...kept.slice(0, seed % 3)];
          const reweighted = next.map((member, i) => (i % 2 === 0 ? member : { ...member, weight: member.weight + 1 }));
          for (const fleetNow of [next, reweighted]) {
            expectSamePlacement(build(fleetNow), reference(fleetNow), probes(plans(fleetNow).map(pointSet), 200));
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it('ketama: the same owner for every sampled hash on a fleet of 10,000 servers with random weights', () => {
    const members = Array.from({ length: 10_000 }, (_, i) => ({
      name: `127.${i >> 8}.${i & 255}.${1 + (i % 7)}:${11211 + (i % 3)}`,
      weight: 1 + Math.floor(Math.random() * 10),
    }));
    const fast = new KetamaRing(members);
    const points = weightedKetamaPlans(members).map(pointSet);
    // The old build sorts 1.6 million objects with a comparison (10 s here); the same points from
    // the old code, sorted as numbers (value, then owner: the old order of equal values), take 1 s.
    const referencePoints = referenceKetamaPoints(members);
    const sorted = new Float64Array(referencePoints.length);
    referencePoints.forEach((point, i) => {
      sorted[i] = point.value * OWNERS + point.owner;
    });
    sorted.sort();
    const referenceOwner = (hash: number): number => {
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((sorted[middle] as number) < hash * OWNERS) low = middle + 1;
        else high = middle;
      }
      return (sorted[low === sorted.length ? 0 : low] as number) % OWNERS;
    };
    const differing = probes(points, 50_000, 13).filter((hash) => fast.ownerOf(hash) !== referenceOwner(hash));
    expect(differing.slice(0, 5)).toEqual([]);
  });
});

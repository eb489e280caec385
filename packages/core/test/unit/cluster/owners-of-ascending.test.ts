import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRing, pointSetPlans } from '../../../src/cluster/rings/build-ring.ts';
import { DISTRIBUTIONS } from '../../../src/cluster/rings/key-ring.ts';
import { pointSet } from '../../../src/cluster/rings/point-sets.ts';

const members = Array.from({ length: 40 }, (_, i) => ({ name: `127.0.0.${i + 1}:${11211 + (i % 3)}`, weight: 1 }));

describe('KeyRing.ownersOfAscending', () => {
  it.each(DISTRIBUTIONS)('%s: gives ownerOf of every hash, wrap-around at both ends included', (distribution) => {
    const ring = buildRing(distribution, members);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(0xffffffff), { maxLength: 2_000 }), (drawn) => {
        const hashes = Uint32Array.from([0, 1, ...drawn, 0xfffffffe, 0xffffffff]).sort();
        const expected = Array.from(hashes, (hash) => ring.ownerOf(hash));
        expect(Array.from(ring.ownersOfAscending(hashes))).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it.each(['dalli', 'ketama'] as const)('%s: gives ownerOf on every point, either side of it, and on repeats', (d) => {
    const ring = buildRing(d, members);
    const points = (pointSetPlans(d, members) ?? []).flatMap((plan) => Array.from(pointSet(plan)));
    const around = points.flatMap((value) => [value, value, Math.max(0, value - 1), Math.min(0xffffffff, value + 1)]);
    const hashes = Uint32Array.from(around).sort();
    expect(Array.from(ring.ownersOfAscending(hashes))).toEqual(Array.from(hashes, (hash) => ring.ownerOf(hash)));
  });
});

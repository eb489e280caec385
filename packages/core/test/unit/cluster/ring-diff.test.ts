import { describe, expect, it } from 'vitest';
import { RingDiff } from '../../../src/cluster/ring-diff.ts';
import { buildRing } from '../../../src/cluster/rings/build-ring.ts';
import type { DistributionName } from '../../../src/cluster/rings/key-ring.ts';

const side = (names: string[], distribution: DistributionName = 'dalli') => ({
  names,
  ring: buildRing(
    distribution,
    names.map((name) => ({ name, weight: 1 })),
  ),
});
const keys = Array.from({ length: 5_000 }, (_, i) => `key:${i}`);

describe('RingDiff', () => {
  it('names the servers added and removed', () => {
    const diff = new RingDiff(side(['a:1', 'b:1']), side(['b:1', 'c:1']));
    expect(diff.added).toEqual(['c:1']);
    expect(diff.removed).toEqual(['a:1']);
  });

  it('says a key moved exactly when its owner differs between the two rings', () => {
    const before = side(['a:1', 'b:1']);
    const after = side(['a:1', 'b:1', 'c:1']);
    const diff = new RingDiff(before, after);
    for (const key of keys) {
      const owner = (s: typeof before) => s.names[s.ring.ownerOf(s.ring.hash(key))];
      expect(diff.ownerBefore(key)).toBe(owner(before));
      expect(diff.ownerAfter(key)).toBe(owner(after));
      expect(diff.moved(key)).toBe(owner(before) !== owner(after));
    }
  });

  it('on a consistent ring, moves keys only to an added server and only from a removed one', () => {
    const grow = new RingDiff(side(['a:1', 'b:1']), side(['a:1', 'b:1', 'c:1']));
    expect(new Set(keys.filter((key) => grow.moved(key)).map((key) => grow.ownerAfter(key)))).toEqual(new Set(['c:1']));
    const shrink = new RingDiff(side(['a:1', 'b:1', 'c:1']), side(['a:1', 'b:1']));
    expect(new Set(keys.filter((key) => shrink.moved(key)).map((key) => shrink.ownerBefore(key)))).toEqual(
      new Set(['c:1']),
    );
  });

  it('measures the moved share: about a third when a third server joins, most keys with memjs modulo', () => {
    const dalli = new RingDiff(side(['a:1', 'b:1']), side(['a:1', 'b:1', 'c:1']));
    const share = keys.filter((key) => dalli.moved(key)).length / keys.length;
    expect(Math.abs(dalli.movedShare - share)).toBeLessThan(0.03);
    const memjs = new RingDiff(side(['a:1', 'b:1'], 'memjs'), side(['a:1', 'b:1', 'c:1'], 'memjs'));
    expect(memjs.movedShare).toBeGreaterThan(0.6);
  });

  it('counts nothing as moved for the same list, everything when the cluster was empty', () => {
    expect(new RingDiff(side(['a:1', 'b:1']), side(['a:1', 'b:1'])).movedShare).toBe(0);
    const first = new RingDiff({ names: [], ring: undefined }, side(['a:1']));
    expect(first.movedShare).toBe(1);
    expect(first.ownerBefore('k')).toBeUndefined();
    expect(first.ownerAfter('k')).toBe('a:1');
  });
});

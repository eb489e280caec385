import { type PointSetPlan, pointSet } from './point-sets.ts';

/** A ring's points in ascending order of value, each with the index of the server owning it. */
export interface SortedPoints {
  readonly values: Uint32Array;
  readonly owners: Uint16Array | Uint32Array;
}

/**
 * Points copied or moved between two looks at the clock in a build in slices: some 20 µs of work
 * once compiled, a millisecond or two while the code is still cold (the first build of a process).
 */
const POINTS_PER_STEP = 1 << 11;

/** The plans' points (hashed now unless kept from an earlier ring), sorted. */
export function sortedPointsOf(plans: readonly PointSetPlan[]): SortedPoints {
  const steps = sortSteps(plans.map(pointSet));
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * Merges the servers' point sets (one per server, in member order) into one ascending array,
 * pausing (`yield`) every {@link POINTS_PER_STEP} points so a build in slices can let the event
 * loop run. Points of equal value stay in member order, as the stable comparison sort used before
 * kept them: each ring breaks such ties its own way (Dalli's takes the last, libketama's the
 * first), so the order decides placement. An LSD radix sort is stable, and at 1.6 million points
 * it is a few passes over typed arrays instead of a comparison sort of objects.
 */
export function* sortSteps(sets: readonly Uint32Array[]): Generator<void, SortedPoints, void> {
  let total = 0;
  for (const set of sets) total += set.length;
  // 16-bit digits for big rings; small rings take four 8-bit passes, not two 64 Ki-entry tables.
  // Either way an even number of passes leaves the result in the first pair of arrays.
  const bits = total >= 0x10000 ? 16 : 8;
  const passes = 32 / bits;
  const digits = 1 << bits;
  const mask = digits - 1;
  const wide = sets.length > 0x10000;
  let values = new Uint32Array(total);
  let owners = wide ? new Uint32Array(total) : new Uint16Array(total);
  // Every pass's digit counts, taken while the sets are copied in, then turned into start offsets.
  const starts = new Uint32Array(digits * passes);
  let at = 0;
  let nextPause = POINTS_PER_STEP;
  for (let owner = 0; owner < sets.length; owner++) {
    const set = sets[owner] as Uint32Array;
    values.set(set, at);
    owners.fill(owner, at, at + set.length);
    at += set.length;
    for (let i = 0; i < set.length; i++) {
      const value = set[i] as number;
      for (let pass = 0; pass < passes; pass++) {
        const slot = pass * digits + ((value >>> (pass * bits)) & mask);
        starts[slot] = (starts[slot] as number) + 1;
      }
    }
    if (at >= nextPause) {
      nextPause = at + POINTS_PER_STEP;
      yield;
    }
  }
  let spareValues = new Uint32Array(total);
  let spareOwners = wide ? new Uint32Array(total) : new Uint16Array(total);
  for (let pass = 0; pass < passes; pass++) {
    const base = pass * digits;
    let sum = 0;
    for (let digit = base; digit < base + digits; digit++) {
      const count = starts[digit] as number;
      starts[digit] = sum;
      sum += count;
    }
    const shift = pass * bits;
    for (let from = 0; from < total; from += POINTS_PER_STEP) {
      const to = Math.min(total, from + POINTS_PER_STEP);
      for (let i = from; i < to; i++) {
        const value = values[i] as number;
        const digit = base + ((value >>> shift) & mask);
        const slot = starts[digit] as number;
        starts[digit] = slot + 1;
        spareValues[slot] = value;
        spareOwners[slot] = owners[i] as number;
      }
      yield;
    }
    [values, spareValues] = [spareValues, values];
    [owners, spareOwners] = [spareOwners, owners];
  }
  return { values, owners };
}

/** A ring's points in ascending order of value, each with the index of the server owning it. */
export interface SortedPoints {
  readonly values: Uint32Array;
  readonly owners: Uint16Array | Uint32Array;
}

/**
 * Merges the servers' point sets (one per server, in member order) into one ascending array.
 * Points of equal value stay in member order, as the stable comparison sort used before kept them:
 * each ring breaks such ties its own way (Dalli's takes the last, libketama's the first), so the
 * order decides placement. An LSD radix sort is stable, and at 1.6 million points it is a few
 * passes over typed arrays instead of a comparison sort of objects.
 */
export function sortPoints(sets: readonly Uint32Array[]): SortedPoints {
  let total = 0;
  for (const set of sets) total += set.length;
  let values = new Uint32Array(total);
  let owners = sets.length <= 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
  let at = 0;
  sets.forEach((set, owner) => {
    values.set(set, at);
    owners.fill(owner, at, at + set.length);
    at += set.length;
  });
  // 16-bit digits for big rings; small rings take four 8-bit passes, not two 64 Ki-entry tables.
  // Either way an even number of passes leaves the result in the first pair of arrays.
  const bits = total >= 0x10000 ? 16 : 8;
  let spareValues = new Uint32Array(total);
  let spareOwners = sets.length <= 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
  for (let shift = 0; shift < 32; shift += bits) {
    radixPass(values, owners, spareValues, spareOwners, shift, bits);
    [values, spareValues] = [spareValues, values];
    [owners, spareOwners] = [spareOwners, owners];
  }
  return { values, owners };
}

/** One stable counting-sort pass on the `bits` bits of each value from `shift`. */
function radixPass(
  values: Uint32Array,
  owners: Uint16Array | Uint32Array,
  toValues: Uint32Array,
  toOwners: Uint16Array | Uint32Array,
  shift: number,
  bits: number,
): void {
  const mask = (1 << bits) - 1;
  const starts = new Uint32Array(mask + 1);
  for (let i = 0; i < values.length; i++) starts[((values[i] as number) >>> shift) & mask]++;
  let sum = 0;
  for (let digit = 0; digit <= mask; digit++) {
    const count = starts[digit] as number;
    starts[digit] = sum;
    sum += count;
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    const slot = starts[(value >>> shift) & mask]++;
    toValues[slot] = value;
    toOwners[slot] = owners[i] as number;
  }
}

import { describe, expect, it } from 'vitest';
import { hashKey } from '../../../src/recipes/near-cache/frequency-sketch.ts';
import { HashSlots } from '../../../src/recipes/near-cache/hash-slots.ts';

describe('HashSlots', () => {
  it('finds what was set, and nothing for a hash never set', () => {
    const slots = new HashSlots<string>();
    slots.set(5, 'five');
    slots.set(5 + 1024, 'five again, same home slot');
    expect(slots.get(5)).toBe('five');
    expect(slots.get(5 + 1024)).toBe('five again, same home slot');
    expect(slots.get(6)).toBeUndefined();
    expect(slots.size).toBe(2);
    slots.set(5, 'replaced');
    expect(slots.get(5)).toBe('replaced');
    expect(slots.size).toBe(2);
  });

  it('keeps every entry of a run reachable when one before it is deleted, across the end of the table', () => {
    const slots = new HashSlots<number>();
    // Four hashes whose home is the last slot (1023): the run wraps to slots 0, 1, 2.
    const wrapped = [1023, 2047, 3071, 4095];
    for (const hash of wrapped) slots.set(hash, hash);
    slots.set(0, 0); // home 0, pushed further by the wrapped run
    slots.delete(2047);
    for (const hash of [1023, 3071, 4095, 0]) expect(slots.get(hash)).toBe(hash);
    expect(slots.get(2047)).toBeUndefined();
    slots.delete(1023);
    slots.delete(5); // never set: nothing changes
    for (const hash of [3071, 4095, 0]) expect(slots.get(hash)).toBe(hash);
    expect(slots.size).toBe(3);
  });

  it('agrees with a Map through 200,000 random sets and deletes, growing as it fills', () => {
    const slots = new HashSlots<number>();
    const map = new Map<number, number>();
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 200_000; i++) {
      const hash = hashKey(`k${next() % 20_000}`);
      if (next() % 3 === 0) {
        slots.delete(hash);
        map.delete(hash);
      } else {
        slots.set(hash, i);
        map.set(hash, i);
      }
    }
    expect(slots.size).toBe(map.size);
    for (const [hash, value] of map) expect(slots.get(hash)).toBe(value);
    expect([...slots.values()].sort((a, b) => a - b)).toEqual([...map.values()].sort((a, b) => a - b));
    slots.clear();
    expect(slots.size).toBe(0);
    expect(slots.get(hashKey('k1'))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { FrequencySketch, hashKey } from '../../../src/recipes/near-cache/frequency-sketch.ts';
import { ENTRY_OVERHEAD, type NearNode, NearStore } from '../../../src/recipes/near-cache/near-store.ts';

/** A request for `key`: a hit, or unless the store guesses it would turn the key away, its read filled in. */
function request(store: NearStore, sketch: FrequencySketch, key: string, bytes: number, hot = false): boolean {
  const hash = hashKey(key);
  const held = store.get(key, hash);
  sketch.record(hash);
  if (held?.filled === true) return true;
  if (held === undefined && !store.mayAdmit(hash, hot)) return false;
  return store.fill(held ?? store.add(key, hash), 'v', 0n, bytes, 0, hot);
}

/** A read's value filled in without the guess first (as getMulti does). */
function put(store: NearStore, key: string, bytes: number, hot = false): boolean {
  const hash = hashKey(key);
  return store.fill(store.get(key, hash) ?? store.add(key, hash), 'v', 0n, bytes, 0, hot);
}

describe('NearStore', () => {
  it('accounts at most maxBytes over 100k distinct keys, each asked for once', () => {
    const sketch = new FrequencySketch();
    let removed = 0;
    const store = new NearStore(1 << 20, sketch, () => removed++);
    let most = 0;
    for (let i = 0; i < 100_000; i++) {
      const key = `one-off-${i}`;
      sketch.record(hashKey(key));
      put(store, key, 100 + ENTRY_OVERHEAD);
      if (store.bytes > most) most = store.bytes;
    }
    expect(most).toBeLessThanOrEqual(1 << 20);
    expect(store.bytes).toBe(store.size * (100 + ENTRY_OVERHEAD));
    expect(removed).toBe(100_000 - store.size);
  });

  it('keeps a frequently asked key through a scan of one-off keys', () => {
    const sketch = new FrequencySketch();
    const store = new NearStore(10 * 200, sketch, () => {});
    for (let i = 0; i < 8; i++) request(store, sketch, 'hot', 200);
    for (let i = 0; i < 10_000; i++) request(store, sketch, `scan-${i}`, 200);
    expect(store.get('hot', hashKey('hot'))?.filled).toBe(true);
  });

  it('admits a reported hot key over entries asked for more often', () => {
    const sketch = new FrequencySketch();
    const store = new NearStore(200, sketch, () => {});
    for (let i = 0; i < 10; i++) sketch.record(hashKey('old'));
    put(store, 'old', 200);
    expect(put(store, 'new', 200)).toBe(false);
    expect(put(store, 'new', 200, true)).toBe(true);
    expect(store.get('old', hashKey('old'))).toBeUndefined();
  });

  it('guesses before a read whether a key could be admitted: room, a hot key, or more requests than the entry under the hand', () => {
    const sketch = new FrequencySketch();
    const store = new NearStore(200, sketch, () => {});
    expect(store.mayAdmit(hashKey('new'), false)).toBe(true);
    for (let i = 0; i < 5; i++) sketch.record(hashKey('old'));
    put(store, 'old', 200);
    expect(store.mayAdmit(hashKey('new'), false)).toBe(false);
    expect(store.mayAdmit(hashKey('new'), true)).toBe(true);
    for (let i = 0; i < 9; i++) sketch.record(hashKey('new'));
    expect(store.mayAdmit(hashKey('new'), false)).toBe(true);
  });

  it('turns away an entry larger than maxBytes, and frees the bytes of a deleted one', () => {
    const store = new NearStore(1000, new FrequencySketch(), () => {});
    expect(put(store, 'big', 1001, true)).toBe(false);
    expect(store.get('big', hashKey('big'))).toBeUndefined();
    put(store, 'small', 300);
    expect(store.bytes).toBe(300);
    put(store, 'small', 500);
    expect(store.bytes).toBe(500);
    expect(store.delete('small', hashKey('small'))).toBe(true);
    expect(store.bytes).toBe(0);
    expect(store.delete('small', hashKey('small'))).toBe(false);
  });

  it('refills a held node in place; a node dropped, cleared or turned away is no longer held and is never filled', () => {
    const store = new NearStore(1000, new FrequencySketch(), () => {});
    put(store, 'k', 300);
    const held = store.get('k', hashKey('k')) as NearNode;
    expect(store.fill(held, 'w', 7n, 400, 5, false)).toBe(true);
    expect(store.get('k', hashKey('k'))).toBe(held);
    expect(held).toMatchObject({ value: 'w', cas: 7n, bytes: 400, freshUntil: 5, held: true, filled: true });
    expect(store.bytes).toBe(400);
    store.delete('k', hashKey('k'));
    expect(held.held).toBe(false);
    // A read that began before the drop cannot put its value back.
    expect(store.fill(held, 'old', 1n, 200, 5, false)).toBe(false);
    expect(store.get('k', hashKey('k'))).toBeUndefined();
    expect(store.bytes).toBe(0);
    const pending = store.add('k', hashKey('k'));
    expect(store.size).toBe(0);
    store.clear();
    expect(pending.held).toBe(false);
    expect(store.fill(pending, 'v', 0n, 100, 5, false)).toBe(false);
    expect(store.size).toBe(0);
  });

  it('an entry that no longer fits in place competes for room like a newcomer', () => {
    const sketch = new FrequencySketch();
    const store = new NearStore(1000, sketch, () => {});
    for (let i = 0; i < 5; i++) sketch.record(hashKey('a'));
    put(store, 'a', 500);
    put(store, 'b', 400);
    // 'b' grows past the room left and was asked for less often than 'a': turned away, 'a' kept.
    expect(put(store, 'b', 600)).toBe(false);
    expect(store.get('b', hashKey('b'))).toBeUndefined();
    expect(store.bytes).toBe(500);
    for (let i = 0; i < 10; i++) sketch.record(hashKey('b'));
    expect(put(store, 'b', 600)).toBe(true);
    expect(store.get('a', hashKey('a'))).toBeUndefined();
    expect(store.bytes).toBe(600);
  });

  it('on uniform requests over 20 times the keys it holds, replaces an entry for under 1 % of them (no churn on the sketch noise)', () => {
    // A seeded generator (mulberry32): the same requests every run.
    let state = 7;
    const next = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const sketch = new FrequencySketch();
    let evictions = 0;
    const store = new NearStore(1000 * 200, sketch, (_key, why) => {
      if (why === 'evicted') evictions++;
    });
    for (let i = 0; i < 200_000; i++) {
      // Counted once the cache is full.
      if (i === 50_000) evictions = 0;
      request(store, sketch, `u-${Math.floor(next() * 20_000)}`, 200);
    }
    expect(store.size).toBe(1000);
    expect(evictions).toBeLessThan(1500);
  });
});

describe('FrequencySketch', () => {
  it('never counts a key below what it was asked, up to 15, and halves every count after a sample of 10 per counter', () => {
    const sketch = new FrequencySketch();
    const k = hashKey('k');
    for (let i = 0; i < 7; i++) sketch.record(k);
    expect(sketch.frequency(k)).toBeGreaterThanOrEqual(7);
    for (let i = 0; i < 20; i++) sketch.record(k);
    expect(sketch.frequency(k)).toBe(15);
    for (let i = 0; i < sketch.width * 10; i++) sketch.record(hashKey(`filler-${i}`));
    expect(sketch.frequency(k)).toBeLessThan(15);
  });

  it('widens its rows to the entries the cache holds (a power of two, at most 128 Ki), keeping every estimate', () => {
    const sketch = new FrequencySketch();
    expect(sketch.width).toBe(4096);
    const keys = Array.from({ length: 3000 }, (_, i) => hashKey(`k-${i}`));
    keys.forEach((hash, i) => {
      for (let n = 0; n < i % 7; n++) sketch.record(hash);
    });
    const before = keys.map((hash) => sketch.frequency(hash));
    sketch.ensureCapacity(4000);
    expect(sketch.width).toBe(4096);
    sketch.ensureCapacity(5000);
    expect(sketch.width).toBe(8192);
    expect(keys.map((hash) => sketch.frequency(hash))).toEqual(before);
    sketch.ensureCapacity(10_000_000);
    expect(sketch.width).toBe(1 << 17);
    expect(keys.map((hash) => sketch.frequency(hash))).toEqual(before);
  });

  it('the store finds keys whose hashes collide, and removes each alone', () => {
    const store = new NearStore(1000, new FrequencySketch(), () => {});
    // Two keys given the same hash, as two of 2^30 values sometimes are.
    store.fill(store.add('a', 42), 'A', 0n, 100, 0, false);
    store.fill(store.add('b', 42), 'B', 0n, 100, 0, false);
    expect(store.get('a', 42)?.value).toBe('A');
    expect(store.get('b', 42)?.value).toBe('B');
    expect(store.get('c', 42)).toBeUndefined();
    expect(store.delete('a', 42)).toBe(true);
    expect(store.get('a', 42)).toBeUndefined();
    expect(store.get('b', 42)?.value).toBe('B');
    store.fill(store.add('a', 42), 'A2', 0n, 100, 0, false);
    expect(store.delete('b', 42)).toBe(true);
    expect(store.get('a', 42)?.value).toBe('A2');
    expect(store.bytes).toBe(100);
    const a = store.get('a', 42) as NearNode;
    store.clear();
    expect(a.held).toBe(false);
  });

  it('the store widens the sketch as it fills', () => {
    const sketch = new FrequencySketch();
    const store = new NearStore(1 << 20, sketch, () => {});
    for (let i = 0; i < 5000; i++) put(store, `k-${i}`, 100);
    expect(store.size).toBe(5000);
    expect(sketch.width).toBe(8192);
  });
});

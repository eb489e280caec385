import { describe, expect, it } from 'vitest';
import { FrequencySketch } from '../../../src/recipes/near-cache/frequency-sketch.ts';
import { ENTRY_OVERHEAD, type NearEntry, NearStore } from '../../../src/recipes/near-cache/near-store.ts';

const entry = (bytes: number): NearEntry => ({ value: 'v', cas: 0n, bytes, freshUntil: 0 });

describe('NearStore', () => {
  it('accounts at most maxBytes over 100k distinct keys, each asked for once', () => {
    const sketch = new FrequencySketch();
    let removed = 0;
    const store = new NearStore(1 << 20, sketch, () => removed++);
    let most = 0;
    for (let i = 0; i < 100_000; i++) {
      const key = `one-off-${i}`;
      sketch.record(key);
      store.admit(key, entry(100 + ENTRY_OVERHEAD), false);
      if (store.bytes > most) most = store.bytes;
    }
    expect(most).toBeLessThanOrEqual(1 << 20);
    expect(store.bytes).toBe(store.size * (100 + ENTRY_OVERHEAD));
    expect(removed).toBe(100_000 - store.size);
  });

  it('keeps a frequently asked key through a scan of one-off keys', () => {
    const sketch = new FrequencySketch();
    const store = new NearStore(10 * 200, sketch, () => {});
    for (let i = 0; i < 8; i++) sketch.record('hot');
    store.admit('hot', entry(200), false);
    for (let i = 0; i < 10_000; i++) {
      sketch.record(`scan-${i}`);
      store.admit(`scan-${i}`, entry(200), false);
    }
    expect(store.get('hot')).toBeDefined();
  });

  it('admits a reported hot key over entries asked for more often', () => {
    const sketch = new FrequencySketch();
    const store = new NearStore(200, sketch, () => {});
    for (let i = 0; i < 10; i++) sketch.record('old');
    store.admit('old', entry(200), false);
    expect(store.admit('new', entry(200), false)).toBe(false);
    expect(store.admit('new', entry(200), true)).toBe(true);
    expect(store.get('old')).toBeUndefined();
  });

  it('guesses before a read whether a key could be admitted: room, a hot key, or more requests than the entry under the hand', () => {
    const sketch = new FrequencySketch();
    const store = new NearStore(200, sketch, () => {});
    expect(store.mayAdmit('new', false)).toBe(true);
    for (let i = 0; i < 5; i++) sketch.record('old');
    store.admit('old', entry(200), false);
    expect(store.mayAdmit('new', false)).toBe(false);
    expect(store.mayAdmit('new', true)).toBe(true);
    for (let i = 0; i < 9; i++) sketch.record('new');
    expect(store.mayAdmit('new', false)).toBe(true);
  });

  it('turns away an entry larger than maxBytes, and frees the bytes of a deleted one', () => {
    const store = new NearStore(1000, new FrequencySketch(), () => {});
    expect(store.admit('big', entry(1001), true)).toBe(false);
    store.admit('small', entry(300), false);
    expect(store.bytes).toBe(300);
    store.admit('small', entry(500), false);
    expect(store.bytes).toBe(500);
    expect(store.delete('small')).toBe(true);
    expect(store.bytes).toBe(0);
  });

  it('refills a held entry in place, and knows an entry dropped or replaced since is no longer held', () => {
    const store = new NearStore(1000, new FrequencySketch(), () => {});
    store.admit('k', entry(300), false);
    const held = store.get('k') as NearEntry;
    expect(store.refill('k', held, { value: 'w', cas: 7n, bytes: 400, freshUntil: 5 }, false)).toBe(true);
    expect(store.get('k')).toBe(held);
    expect(held).toMatchObject({ value: 'w', cas: 7n, bytes: 400, freshUntil: 5 });
    expect(store.bytes).toBe(400);
    expect(store.holds(held)).toBe(true);
    store.delete('k');
    expect(store.holds(held)).toBe(false);
    // A stale handle is not written through: the new read goes in as a new entry.
    expect(store.refill('k', held, entry(200), false)).toBe(true);
    expect(store.get('k')).not.toBe(held);
    expect(store.bytes).toBe(200);
    const replaced = store.get('k') as NearEntry;
    store.admit('k', entry(100), false);
    expect(store.holds(replaced)).toBe(false);
    store.clear();
    expect(store.holds(store.get('k') ?? replaced)).toBe(false);
  });
});

describe('FrequencySketch', () => {
  it('never counts a key below what it was asked, up to 15, and halves every count after a long sample', () => {
    const sketch = new FrequencySketch();
    for (let i = 0; i < 7; i++) sketch.record('k');
    expect(sketch.frequency('k')).toBeGreaterThanOrEqual(7);
    for (let i = 0; i < 20; i++) sketch.record('k');
    expect(sketch.frequency('k')).toBe(15);
    for (let i = 0; i < 4096 * 10; i++) sketch.record(`filler-${i}`);
    expect(sketch.frequency('k')).toBeLessThan(15);
  });
});

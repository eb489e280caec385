import { describe, expect, it } from 'vitest';
import { HeavyHitters } from '../../../src/recipes/hot-keys/heavy-hitters.ts';
import { HotKeyTracker } from '../../../src/recipes/hot-keys/hot-key-tracker.ts';

/** Two servers; keys placed by their last digit's parity, as a ring would spread them. */
const locate = (key: string) => (Number(key.at(-1)) % 2 === 0 ? 'a:11211' : 'b:11211');
const client = {};

function tracker(found: (keys: ReadonlySet<string>) => void = () => {}): HotKeyTracker {
  return new HotKeyTracker(client, { share: 0.01, window: 1000 }, locate, found, false);
}

/** A deterministic mix: `hot` gets one request in `every`, the rest go round `keys` distinct keys. */
function drive(target: HotKeyTracker, requests: number, keys: number, hot?: { key: string; every: number }) {
  let next = 0;
  for (let i = 0; i < requests; i++) {
    if (hot !== undefined && i % hot.every === 0) target.observe(hot.key);
    else target.observe(`uniform-${(next++ * 7919) % keys}`);
  }
}

describe('HotKeyTracker', () => {
  it('reports a key at 5 % of the traffic, with its server and share, when its window ends', () => {
    let admitted: ReadonlySet<string> = new Set();
    const target = tracker((keys) => {
      admitted = keys;
    });
    drive(target, 20_000, 100_000, { key: 'hot-2', every: 20 });
    const [report, ...others] = target.endWindow();
    expect(others).toEqual([]);
    expect(report).toMatchObject({ client, key: 'hot-2', server: 'a:11211', window: 1000 });
    // 5 % of all requests, about 10 % of server a's: the sketch undercounts by at most 1/201 of the total.
    expect(report?.share).toBeGreaterThan(0.05);
    expect(report?.share).toBeLessThanOrEqual(0.15);
    expect([...admitted]).toEqual(['hot-2']);
  });

  it('reports nothing for uniform traffic over many keys', () => {
    const target = tracker();
    drive(target, 20_000, 100_000);
    expect(target.endWindow()).toEqual([]);
  });

  it('counts each window afresh', () => {
    const target = tracker();
    drive(target, 20_000, 100_000, { key: 'hot-2', every: 20 });
    expect(target.endWindow()).toHaveLength(1);
    drive(target, 20_000, 100_000);
    expect(target.endWindow()).toEqual([]);
  });
});

describe('HeavyHitters', () => {
  it('keeps every key above total / (capacity + 1), short by at most that', () => {
    const hitters = new HeavyHitters(9);
    for (let i = 0; i < 1000; i++) hitters.add(i % 4 === 0 ? 'frequent' : `rare-${i}`);
    const counts = new Map(hitters.entries());
    expect(counts.get('frequent')).toBeGreaterThanOrEqual(250 - 1000 / 10);
    expect(counts.size).toBeLessThanOrEqual(9);
    expect(hitters.total).toBe(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { type HealthPolicy, ServerHealth } from '../../../src/cluster/server-health.ts';

/** The client's defaults: socketMaxFailures 2, downRetryDelay 30 s, flapTime 30 s, ramp 1.5, cap 3600 s. */
const defaults: HealthPolicy = {
  maxFailures: 2,
  downRetryDelay: 30_000,
  flapTime: 30_000,
  flapBackoffRamp: 1.5,
  flapBackoffMax: 3_600_000,
};

/** Marks `health` down at `at` (two broken connections) and returns the wait before its probe. */
function outage(health: ServerHealth, at: number): number {
  health.failure(at);
  health.failure(at);
  expect(health.up).toBe(false);
  return health.retryDelay as number;
}

describe('ServerHealth', () => {
  it('marks a server down after maxFailures broken connections in a row, and a reply resets the count', () => {
    const health = new ServerHealth(defaults);
    expect(health.failure(0)).toBe(false);
    health.reply(1);
    expect(health.failure(2)).toBe(false);
    expect(health.up).toBe(true);
    expect(health.failure(3)).toBe(true);
    expect(health.up).toBe(false);
    expect(health.downSince).toBe(3);
    expect(health.reason).toBe('failures');
  });

  it('probes a fresh outage after 1 s, doubling on each failed probe up to downRetryDelay (Dalli, unchanged)', () => {
    const health = new ServerHealth(defaults);
    expect(outage(health, 0)).toBe(1_000);
    expect(health.available(999)).toBe(false);
    expect(health.available(1_000)).toBe(true);
    const waits = [];
    let now = 1_000;
    for (let i = 0; i < 7; i++) {
      health.failure(now);
      waits.push(health.retryDelay);
      now += health.retryDelay as number;
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(health.nextProbeAt).toBe(now);
  });

  it('brings a server back at its first reply and says how long it was down', () => {
    const health = new ServerHealth(defaults);
    outage(health, 5_000);
    expect(health.reply(6_000)).toBe(1_000);
    expect(health.up).toBe(true);
    expect(health.retryDelay).toBeUndefined();
    expect(health.reply(6_001)).toBeUndefined();
  });

  it('holds a server that goes down again within flapTime for downRetryDelay × ramp^flaps, longer at each flap', () => {
    const health = new ServerHealth(defaults);
    let now = 0;
    const holds = [];
    for (let i = 0; i < 4; i++) {
      holds.push(outage(health, now));
      now += health.retryDelay as number;
      health.reply(now);
      now += 1_000; // up for a second, then down again
    }
    expect(holds).toEqual([1_000, 45_000, 67_500, 101_250]);
    expect(health.flaps(now)).toBe(3);
  });

  it('never holds a flapping server longer than flapBackoffMax', () => {
    const health = new ServerHealth({ ...defaults, flapBackoffMax: 40_000 });
    let now = 0;
    for (let i = 0; i < 5; i++) {
      outage(health, now);
      now += (health.retryDelay as number) + 1;
      health.reply(now);
    }
    expect(health.retryDelay).toBeUndefined();
    expect(outage(health, now + 1)).toBe(40_000);
  });

  it('waits the hold-down again, not 2 s, after a failed probe of a flapping server', () => {
    const health = new ServerHealth(defaults);
    outage(health, 0);
    health.reply(1_000);
    expect(outage(health, 2_000)).toBe(45_000);
    health.failure(47_000);
    expect(health.retryDelay).toBe(45_000);
    expect(health.nextProbeAt).toBe(92_000);
  });

  it('forgets the flaps of a server that stayed up for flapTime: its next outage is probed after 1 s', () => {
    const health = new ServerHealth(defaults);
    outage(health, 0);
    health.reply(1_000);
    outage(health, 2_000);
    health.reply(40_000);
    expect(health.flaps(69_999)).toBe(1);
    expect(health.flaps(70_000)).toBe(0);
    expect(outage(health, 70_000)).toBe(1_000);
    expect(health.flaps(70_000)).toBe(0);
  });

  it('has no flap memory with flapTime 0: every outage is probed after 1 s, as before', () => {
    const health = new ServerHealth({ ...defaults, flapTime: 0 });
    for (let at = 0; at < 10_000; at += 2_000) {
      expect(outage(health, at)).toBe(1_000);
      health.reply(at + 1_000);
    }
  });

  it('holds nothing when downRetryDelay is 0 ("probe at once"), flapping or not', () => {
    const health = new ServerHealth({ ...defaults, maxFailures: 1, downRetryDelay: 0 });
    for (let at = 0; at < 10; at += 2) {
      health.failure(at);
      expect(health.available(at)).toBe(true);
      health.reply(at + 1);
    }
  });

  it('ejects an up server with a reason, counted as a flap like any outage, and not one already down', () => {
    const health = new ServerHealth(defaults);
    expect(health.eject(0, 'latency')).toBe(true);
    expect(health.reason).toBe('latency');
    expect(health.retryDelay).toBe(1_000);
    expect(health.eject(10, 'errors')).toBe(false);
    health.reply(1_000);
    expect(health.eject(2_000, 'errors')).toBe(true);
    expect(health.reason).toBe('errors');
    expect(health.retryDelay).toBe(45_000);
  });
});

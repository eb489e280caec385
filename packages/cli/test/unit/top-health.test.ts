import type { ServerState } from '@dalli/core';
import { describe, expect, it } from 'vitest';
import { healthNote, rowHealth } from '../../src/top-health.ts';
import { renderRows } from '../../src/top-screen.ts';

const up: ServerState = {
  name: '127.0.0.1:11211',
  weight: 1,
  up: true,
  failures: 0,
  downSince: undefined,
  retryDelay: undefined,
  nextProbeAt: undefined,
  downReason: undefined,
  flaps: 0,
  connected: true,
  inFlight: 0,
  protocolErrors: 0,
};

describe('the health column of top and the dashboard', () => {
  it('says nothing of a server that is simply up', () => {
    expect(rowHealth(up, 0)).toBeUndefined();
    expect(healthNote(undefined)).toBeUndefined();
  });

  it('names an ejection, the flaps in a row and the wait before the next probe', () => {
    const ejected = { ...up, up: false, downReason: 'latency' as const, flaps: 2, nextProbeAt: 1_500 };
    const health = rowHealth(ejected, 1_000);
    expect(health).toEqual({ flaps: 2, ejected: 'latency', nextProbeIn: 500 });
    expect(healthNote(health)).toBe('ejected for slow replies, flapping (2 in a row), next probe in 0.5 s');
  });

  it('notes a server that is up but flapped, after the table, in words', () => {
    const health = rowHealth({ ...up, flaps: 1 }, 0);
    const rates = {
      totalOpsPerSecond: 1,
      opsPerSecond: { get: 1, set: 0, delete: 0, incr: 0, decr: 0, touch: 0 },
      hitRatio: 1,
      evictionsPerSecond: 0,
      bytesInPerSecond: 0,
      bytesOutPerSecond: 0,
      connections: 1,
      items: 1,
    };
    const screen = renderRows([{ name: up.name, queued: 0, health, up: true, rates } as never], false);
    expect(screen).toMatch(/^127\.0\.0\.1:11211 flapping \(1 in a row\)$/m);
  });
});

import { describe, expect, it } from 'vitest';
import { ratesBetween } from '../../src/top-rates.ts';
import { sortRows } from '../../src/top-sampler.ts';

describe('top rates between two stats samples', () => {
  const before = { uptime: '100', cmd_get: '10', get_hits: '5', get_misses: '5', cmd_set: '4', bytes_read: '1000' };

  it('gives per-second rates by command and the hit ratio of the interval only', () => {
    const after = {
      uptime: '102',
      cmd_get: '30',
      get_hits: '20',
      get_misses: '10',
      cmd_set: '8',
      delete_hits: '2',
      delete_misses: '2',
      bytes_read: '3000',
      curr_connections: '3',
    };
    const rates = ratesBetween(before, after, 2);
    expect(rates.opsPerSecond).toEqual({ get: 10, set: 2, delete: 2, incr: 0, decr: 0, touch: 0 });
    expect(rates.totalOpsPerSecond).toBe(14);
    expect(rates.hitRatio).toBe(0.75);
    expect(rates.bytesInPerSecond).toBe(1000);
    expect(rates.connections).toBe(3);
  });

  it('counts from zero after a restart (uptime went back) instead of showing negative rates', () => {
    const rates = ratesBetween(before, { uptime: '1', cmd_get: '6', get_hits: '3', get_misses: '3' }, 1);
    expect(rates.opsPerSecond.get).toBe(6);
    expect(rates.hitRatio).toBe(0.5);
  });

  it('sorts down servers first, then the busiest', () => {
    const up = (name: string, total: number) =>
      ({ name, queued: 0, up: true, rates: { ...ratesBetween({}, {}, 1), totalOpsPerSecond: total } }) as const;
    const rows = sortRows([up('a', 1), { name: 'b', queued: 0, up: false, error: 'x' }, up('c', 5)]);
    expect(rows.map((row) => row.name)).toEqual(['b', 'c', 'a']);
  });
});

import { describe, expect, it } from 'vitest';
import { bytes, duration, percent, summarize } from '../../src/stats-figures.ts';

describe('derived stats figures', () => {
  const stats = {
    version: '1.6.21',
    uptime: '200',
    curr_connections: '7',
    total_connections: '90',
    curr_items: '1234',
    bytes: '16777216',
    limit_maxbytes: '67108864',
    get_hits: '75',
    get_misses: '25',
    evictions: '50',
  };

  it('computes hit ratio, memory used share and evictions per second of uptime', () => {
    expect(summarize(stats)).toEqual({
      version: '1.6.21',
      uptimeSeconds: 200,
      connections: 7,
      totalConnections: 90,
      items: 1234,
      bytesUsed: 16777216,
      bytesLimit: 67108864,
      memoryUsedRatio: 0.25,
      hitRatio: 0.75,
      evictions: 50,
      evictionsPerSecond: 0.25,
    });
  });

  it('has no hit ratio before the first get, and no rate at uptime 0', () => {
    const fresh = summarize({ uptime: '0', get_hits: '0', get_misses: '0', evictions: '0' });
    expect(fresh.hitRatio).toBeUndefined();
    expect(fresh.evictionsPerSecond).toBe(0);
    expect(fresh.memoryUsedRatio).toBeUndefined();
  });

  it('formats bytes in binary units, ratios as percentages and durations as two units', () => {
    expect([bytes(512), bytes(1536), bytes(64 * 1024 * 1024)]).toEqual(['512 B', '1.5 KiB', '64.0 MiB']);
    expect([percent(0.1234), percent(undefined)]).toEqual(['12.3%', '-']);
    expect([duration(0), duration(42), duration(423), duration(18_720), duration(273_600)]).toEqual([
      '0s',
      '42s',
      '7m 3s',
      '5h 12m',
      '3d 4h',
    ]);
  });
});

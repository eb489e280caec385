import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../../src/prometheus/exposition.ts';
import { obfuscateKey } from '../../src/query-text.ts';
import { serverAddress } from '../../src/server-address.ts';

describe('Prometheus text exposition', () => {
  it('writes HELP, TYPE and one line per series, escaping label values', () => {
    const registry = new MetricRegistry();
    const up = registry.family('x_up', 'Up.\nSecond line with \\.', 'gauge');
    up.set({ server: 'a"b\\c\nd' }, 1);
    expect(registry.render()).toBe(
      '# HELP x_up Up.\\nSecond line with \\\\.\n# TYPE x_up gauge\nx_up{server="a\\"b\\\\c\\nd"} 1\n',
    );
  });

  it('writes histogram buckets cumulatively, with +Inf, _sum and _count', () => {
    const registry = new MetricRegistry();
    const seconds = registry.family('x_seconds', 'Time.', 'histogram', [0.1, 1]);
    for (const value of [0.05, 0.5, 0.7, 3]) seconds.observe({ op: 'get' }, value);
    expect(registry.render().split('\n').slice(2, -1)).toEqual([
      'x_seconds_bucket{op="get",le="0.1"} 1',
      'x_seconds_bucket{op="get",le="1"} 3',
      'x_seconds_bucket{op="get",le="+Inf"} 4',
      'x_seconds_sum{op="get"} 4.25',
      'x_seconds_count{op="get"} 4',
    ]);
  });

  it('leaves out a family with no series, and clear() empties one', () => {
    const registry = new MetricRegistry();
    const counted = registry.family('x_total', 'Counted.', 'counter');
    registry.family('x_never_total', 'Never.', 'counter');
    counted.add({}, 2);
    expect(registry.render()).toBe('# HELP x_total Counted.\n# TYPE x_total counter\nx_total 2\n');
    counted.clear();
    expect(registry.render()).toBe('');
  });
});

describe('attribute helpers', () => {
  it('obfuscates numbers, long hex runs and UUIDs in a key, keeping its shape', () => {
    expect(obfuscateKey('user:42:profile')).toBe('user:?:profile');
    expect(obfuscateKey('s:0123456789abcdef0123:x')).toBe('s:?:x');
    expect(obfuscateKey('order/123e4567-e89b-12d3-a456-426614174000')).toBe('order/?');
    expect(obfuscateKey('plain-name')).toBe('plain-name');
  });

  it('splits host:port, [IPv6]:port and Unix socket paths', () => {
    expect(serverAddress('127.0.0.1:11211')).toEqual({ address: '127.0.0.1', port: 11211 });
    expect(serverAddress('[::1]:11212')).toEqual({ address: '::1', port: 11212 });
    expect(serverAddress('/run/memcached.sock')).toEqual({ address: '/run/memcached.sock', port: undefined });
  });
});

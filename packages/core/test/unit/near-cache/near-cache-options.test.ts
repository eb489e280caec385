import { describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError } from '../../../src/index.ts';
import { resolveHotKeyOptions } from '../../../src/options/hot-key-options.ts';
import { resolveNearCacheOptions } from '../../../src/options/near-cache-options.ts';

describe('nearCache and hotKeys options', () => {
  it('resolves defaults: 16 MiB, 1 s; off when absent, false, or bounded to 0', () => {
    expect(resolveNearCacheOptions(true)).toEqual({ maxBytes: 16 * 1024 * 1024, ttl: 1000, bus: undefined });
    expect(resolveNearCacheOptions({ ttl: 0.25 })).toMatchObject({ ttl: 250 });
    expect(resolveNearCacheOptions(undefined)).toBeUndefined();
    expect(resolveNearCacheOptions(false)).toBeUndefined();
    expect(resolveNearCacheOptions({ maxBytes: 0 })).toBeUndefined();
    expect(resolveNearCacheOptions({ ttl: 0 })).toBeUndefined();
    expect(new Client('127.0.0.1:1', { nearCache: { ttl: 0 } }).nearCacheStats()).toBeUndefined();
  });

  it.each([
    [{ maxBytes: -1 }],
    [{ maxBytes: 1.5 }],
    [{ ttl: '1' }],
    [{ ttl: Number.POSITIVE_INFINITY }],
    [{ bus: {} }],
    [{ size: 10 }],
    ['yes'],
  ])('refuses nearCache %j with an InvalidArgumentError', (value) => {
    expect(() => new Client('127.0.0.1:1', { nearCache: value as never })).toThrow(InvalidArgumentError);
  });

  it('resolves hotKeys defaults (1 %, 1 s) and refuses bad ones', () => {
    expect(resolveHotKeyOptions(true)).toEqual({ share: 0.01, window: 1000 });
    expect(resolveHotKeyOptions({ window: 0.05 })).toEqual({ share: 0.01, window: 50 });
    for (const bad of [{ share: 0 }, { share: 2 }, { window: 0 }, { every: 1 }, 3]) {
      expect(() => new Client('127.0.0.1:1', { hotKeys: bad as never })).toThrow(InvalidArgumentError);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { type FetchOptions, resolveFetchOptions } from '../../src/recipes/fetch/fetch-options.ts';

const meta = { leases: true };
const binary = { leases: false };

describe('fetch options', () => {
  it('default in meta: 10 s lock key (no lease stub), wait as long as the lock, then compute; no refresh', () => {
    expect(resolveFetchOptions(undefined, 'fetch', meta)).toEqual({
      lockTtl: 10,
      waitTimeout: 10,
      onWaitTimeout: 'compute',
      refreshAhead: undefined,
      lock: 'key',
    });
  });

  it("default in binary/text: no cross-process lock (Dalli's get-then-add); lock: true takes the lock key", () => {
    expect(resolveFetchOptions(undefined, 'fetch', binary).lock).toBe('none');
    expect(resolveFetchOptions({ lock: true }, 'fetchMulti', binary).lock).toBe('key');
    expect(resolveFetchOptions({ lock: false }, 'fetch', meta).lock).toBe('none');
    expect(resolveFetchOptions({ lock: 'lease' }, 'fetchMulti', meta).lock).toBe('lease');
  });

  it('waitTimeout follows lockTtl unless given', () => {
    expect(resolveFetchOptions({ lockTtl: 3 }, 'fetch', meta).waitTimeout).toBe(3);
    expect(resolveFetchOptions({ lockTtl: 3, waitTimeout: 0.5 }, 'fetch', meta).waitTimeout).toBe(0.5);
  });

  it.each([
    [{ lockTtl: 0 }],
    [{ lockTtl: 1.5 }],
    [{ waitTimeout: -1 }],
    [{ waitTimeout: Number.NaN }],
    [{ waitTimeout: '1' as unknown as number }],
    [{ onWaitTimeout: 'wait' as 'throw' }],
    [{ refreshAhead: 0 }],
    [{ lock: 'yes' as unknown as boolean }],
    [{ lock: 1 as unknown as boolean }],
    [{ signal: {} as AbortSignal }],
  ])('refuses %o with a typed error', (options) => {
    expect(() => resolveFetchOptions(options, 'fetch', meta)).toThrow(InvalidArgumentError);
  });

  it.each([
    ["lock: 'lease' in binary/text", { lock: 'lease' }, 'fetch', binary, /needs memcached's meta protocol/],
    ['refreshAhead in binary/text', { refreshAhead: 30 }, 'fetch', binary, /refreshAhead needs memcached's meta/],
    ['refreshAhead on fetchMulti', { refreshAhead: 30 }, 'fetchMulti', meta, /fetchMulti does not refresh ahead/],
  ] as const)('refuses an option that cannot take effect: %s', (_, options, operation, capabilities, message) => {
    expect(() => resolveFetchOptions(options as FetchOptions, operation, capabilities)).toThrow(message);
  });
});

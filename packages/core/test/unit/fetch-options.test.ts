import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { resolveFetchOptions } from '../../src/fetch/fetch-options.ts';

describe('fetch options', () => {
  it('default: 10 s lease, wait as long as the lease, then compute; no refresh, no lock', () => {
    expect(resolveFetchOptions(undefined, 'fetch')).toEqual({
      lockTtl: 10,
      waitTimeout: 10,
      onWaitTimeout: 'compute',
      refreshAhead: undefined,
      lock: false,
    });
  });

  it('waitTimeout follows lockTtl unless given', () => {
    expect(resolveFetchOptions({ lockTtl: 3 }, 'fetch').waitTimeout).toBe(3);
    expect(resolveFetchOptions({ lockTtl: 3, waitTimeout: 0.5 }, 'fetch').waitTimeout).toBe(0.5);
  });

  it.each([
    [{ lockTtl: 0 }],
    [{ lockTtl: 1.5 }],
    [{ waitTimeout: -1 }],
    [{ waitTimeout: Number.NaN }],
    [{ onWaitTimeout: 'wait' as 'throw' }],
    [{ refreshAhead: 0 }],
  ])('refuses %o with a typed error', (options) => {
    expect(() => resolveFetchOptions(options, 'fetch')).toThrow(InvalidArgumentError);
  });
});

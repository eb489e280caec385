import { afterEach, describe, expect, it, vi } from 'vitest';
import { expirationFor, MAX_RELATIVE_EXPIRATION } from '../../src/commands/ttl.ts';
import { InvalidArgumentError } from '../../src/errors.ts';

const NOW = 1_800_000_000;

describe('expirationFor (Dalli TtlSanitizer)', () => {
  afterEach(() => vi.useRealTimers());

  it('sends 0 (never expire) and relative TTLs up to 30 days as they are', () => {
    expect(expirationFor(0, 'set')).toBe(0);
    expect(expirationFor(1, 'set')).toBe(1);
    expect(expirationFor(MAX_RELATIVE_EXPIRATION, 'set')).toBe(2_592_000);
  });

  it('rounds fractions up, so half a second never becomes "never expire"', () => {
    expect(expirationFor(0.001, 'set')).toBe(1);
    expect(expirationFor(1.5, 'set')).toBe(2);
  });

  it('turns a TTL over 30 days into now + ttl', () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    expect(expirationFor(MAX_RELATIVE_EXPIRATION + 1, 'set')).toBe(NOW + MAX_RELATIVE_EXPIRATION + 1);
    expect(expirationFor(365 * 86_400, 'set')).toBe(NOW + 365 * 86_400);
  });

  it('keeps a value that is already a future Unix time', () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    expect(expirationFor(NOW + 60, 'set')).toBe(NOW + 60);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['60' as unknown as number]])('refuses %s', (ttl) => {
    expect(() => expirationFor(ttl, 'set')).toThrow(InvalidArgumentError);
  });

  it('refuses a time past the 32-bit clock', () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    expect(() => expirationFor(2 ** 32, 'set')).toThrow(/2106/);
  });
});

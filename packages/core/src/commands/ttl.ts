import { InvalidArgumentError } from '../errors.ts';

/** memcached reads an expiration above 30 days as a Unix time, not as seconds from now. */
export const MAX_RELATIVE_EXPIRATION: number = 30 * 24 * 60 * 60;
const MAX_EXPIRATION = 0xffffffff;

/**
 * The expiration memcached should get for a TTL in seconds, as Dalli's TtlSanitizer does it:
 * up to 30 days as is (0 = never); more than that, a Unix time if it already is a future one,
 * else now + ttl. Fractions round up, so a short TTL never becomes 0 ("never expire").
 */
export function expirationFor(ttl: number, operation: string, name = 'ttl'): number {
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
    throw new InvalidArgumentError(`${name} must be a finite number of seconds, 0 or more`, { operation });
  }
  const seconds = Math.ceil(ttl);
  if (seconds <= MAX_RELATIVE_EXPIRATION) return seconds;
  const now = Math.floor(Date.now() / 1000);
  const absolute = seconds > now ? seconds : now + seconds;
  if (absolute > MAX_EXPIRATION) {
    throw new InvalidArgumentError(`${name} reaches past 2106, the end of memcached's 32-bit clock`, { operation });
  }
  return absolute;
}

import type { SessionData } from 'express-session';
import type { TtlOption } from './store-options.ts';

/** Seconds a session lives when neither its cookie nor the `ttl` option says: one day. */
export const DEFAULT_TTL = 86_400;

/**
 * memcached's clock moves in whole seconds, so an item stored with a TTL of n seconds can expire
 * up to a second before n seconds have passed. One more second makes it live at least its TTL.
 */
const CLOCK_TICK = 1;

/**
 * Seconds the session should live in memcached, or `expired` when it should not be stored at all:
 * from `cookie.expires` (the client rounds fractions up), else the `ttl` option, else one day,
 * plus one tick of memcached's clock, so a session never ends before its cookie says.
 * `disableTTL` stores it without expiry (0). More than 30 days is sent as a date by the client,
 * as memcached requires.
 */
export function sessionTtl(session: SessionData, ttl: TtlOption | undefined, disableTTL: boolean): number | 'expired' {
  if (disableTTL) return 0;
  const expires = session.cookie?.expires;
  if (expires !== undefined && expires !== null) {
    const left = new Date(expires).getTime() - Date.now();
    return left > 0 ? left / 1000 + CLOCK_TICK : 'expired';
  }
  const seconds = typeof ttl === 'function' ? ttl(session) : (ttl ?? DEFAULT_TTL);
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new TypeError(`the session ttl must be a finite number of seconds, got ${String(seconds)}`);
  }
  return seconds > 0 ? seconds + CLOCK_TICK : 'expired';
}

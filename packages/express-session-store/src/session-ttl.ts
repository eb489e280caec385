import type { SessionData } from 'express-session';

/** Seconds a session lives when neither its cookie nor the `ttl` option says: one day. */
export const DEFAULT_TTL = 86_400;

export type TtlOption = number | ((session: SessionData) => number);

/**
 * Seconds the session should live in memcached, or `expired` when it should not be stored at all:
 * from `cookie.expires` (rounded up to whole seconds by the client, so at least 1), else the
 * `ttl` option, else one day. `disableTTL` stores it without expiry (0). More than 30 days is
 * sent as a date by the client, as memcached requires.
 */
export function sessionTtl(session: SessionData, ttl: TtlOption | undefined, disableTTL: boolean): number | 'expired' {
  if (disableTTL) return 0;
  const expires = session.cookie?.expires;
  if (expires !== undefined && expires !== null) {
    const left = new Date(expires).getTime() - Date.now();
    return left > 0 ? left / 1000 : 'expired';
  }
  const seconds = typeof ttl === 'function' ? ttl(session) : (ttl ?? DEFAULT_TTL);
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new TypeError(`the session ttl must be a finite number of seconds, got ${String(seconds)}`);
  }
  return seconds > 0 ? seconds : 'expired';
}

/** Whether a loaded session's cookie says it is already over (memcached keeps it up to a second longer). */
export function cookieExpired(session: SessionData): boolean {
  const expires = session.cookie?.expires;
  return expires !== undefined && expires !== null && new Date(expires).getTime() <= Date.now();
}

import type { Command } from '../protocol/command.ts';

/** memcached reads an expiration over 30 days as a Unix time, and one up to it as seconds from now. */
const RELATIVE_MAX = 60 * 60 * 24 * 30;

/**
 * The request with its expiration clamped to at most `ttl` seconds from now: "never" (0), a longer
 * TTL or a later Unix time become `ttl`. A request without an expiration (append, a read) is
 * returned as it is.
 */
export function clampExpiration(request: Command, ttl: number, nowSeconds: number = Date.now() / 1000): Command {
  const expiration = request.expiration;
  if (expiration === undefined) return request;
  const left = expiration > RELATIVE_MAX ? expiration - Math.floor(nowSeconds) : expiration;
  if (expiration !== 0 && left <= ttl) return request;
  return { ...request, expiration: ttl };
}

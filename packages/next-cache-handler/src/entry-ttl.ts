/**
 * Beyond this many seconds an entry is kept without a TTL. Next.js writes "forever" as
 * 0xfffffffe seconds, which memcached would read as a Unix time (anything over 30 days is one).
 */
const NEVER_BEYOND = 10 * 365 * 24 * 60 * 60;

/**
 * The memcached TTL of an entry Next.js may use for `expire` seconds: that many, or 0 (no TTL)
 * when it has no end. Next.js checks lifetimes itself on every read; the TTL only lets memcached
 * drop what can no longer be served.
 */
export function entryTtl(expire: number | undefined): number {
  if (typeof expire !== 'number' || !Number.isFinite(expire) || expire <= 0 || expire >= NEVER_BEYOND) return 0;
  return Math.ceil(expire);
}

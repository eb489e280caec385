import { randomBytes } from 'node:crypto';

/**
 * A namespace's generation token, ordered so that replicas that disagree can be reconciled: the
 * greater token is the current generation. `<ms since the epoch, base36>.<random>`: the time orders
 * clears, the random part keeps two tokens made in the same millisecond (or by two processes)
 * distinct. A token without a dot was written before tokens were ordered (8 random characters);
 * it ranks below every ordered one, so a running deployment keeps its generation until its next
 * `clear()`.
 */
const ORDERED = /^([0-9a-z]{1,11})\.[A-Za-z0-9_-]{1,22}$/;
const LEGACY = /^[A-Za-z0-9_-]{1,64}$/;

/** A token made by this module, or a legacy one; anything else found under a token key is not a token. */
export function isToken(text: string): boolean {
  return ORDERED.test(text) || LEGACY.test(text);
}

/**
 * A new token greater than `after` (when given): stamped with the current time, or with one
 * millisecond past `after` when this clock is behind the one that made it.
 */
export function newToken(after?: string, now: number = Date.now()): string {
  const floor = after === undefined ? -1 : timeOf(after);
  const time = Math.max(now, floor + 1);
  return `${time.toString(36)}.${randomBytes(4).toString('base64url')}`;
}

/**
 * Negative when `a` is older than `b`, positive when newer, 0 when they rank alike: equal tokens,
 * or two legacy tokens (which carry no order; the caller decides between them).
 */
export function compareTokens(a: string, b: string): number {
  const difference = timeOf(a) - timeOf(b);
  if (difference !== 0) return Math.sign(difference);
  if (timeOf(a) < 0 || a === b) return 0;
  return a < b ? -1 : 1;
}

/** The token's time in ms, or -1 for a legacy token. */
function timeOf(token: string): number {
  const match = ORDERED.exec(token);
  return match === null ? -1 : Number.parseInt(match[1] as string, 36);
}

/**
 * What one tag's revalidations say about the entries carrying it, as times in epoch milliseconds
 * (Next.js's own tag manifests compare the same times). An entry is judged by when it was written:
 * - at or before `expiredBefore`: expired (a miss; Next.js renders anew before answering);
 * - at or before `staleBefore`: stale until `expireAt` (served once more while Next.js renders anew in
 *   the background), expired from then on;
 * - otherwise fresh.
 */
export interface TagState {
  readonly expiredBefore: number;
  readonly staleBefore: number;
  /** When entries before `staleBefore` expire; `null` for never. */
  readonly expireAt: number | null;
}

/** How the entries of a tag are to be treated; the worst tag of an entry decides. */
export type TagVerdict = 'fresh' | 'stale' | 'expired';

/** Next.js's second argument of `revalidateTag` / `updateTags`: absent means expire at once. */
export interface TagDurations {
  /** Seconds after the revalidation until entries written before it expire; absent: never. */
  readonly expire?: number | undefined;
}

const NO_STATE: TagState = { expiredBefore: 0, staleBefore: 0, expireAt: null };

/** The verdict on an entry written at `timestamp`, by the states of its tags, at `now`. */
export function judge(states: Iterable<TagState | undefined>, timestamp: number, now: number): TagVerdict {
  let verdict: TagVerdict = 'fresh';
  for (const state of states) {
    if (state === undefined) continue;
    // An entry written in the very millisecond of a revalidation may hold what was revalidated.
    if (timestamp <= state.expiredBefore) return 'expired';
    if (timestamp <= state.staleBefore) {
      if (state.expireAt !== null && state.expireAt <= now) return 'expired';
      verdict = 'stale';
    }
  }
  return verdict;
}

/**
 * The state after a revalidation at `now`. Without durations the tag's entries expire at once
 * (`updateTag`, `revalidatePath`, `revalidateTag(tag)`); with them they turn stale now and expire
 * `durations.expire` seconds later (`revalidateTag(tag, profile)`). A stale window still pending
 * from an earlier revalidation keeps the earlier of the two deadlines: expiring an entry too early
 * costs a render, too late serves old content.
 */
export function revalidated(previous: TagState | undefined, now: number, durations?: TagDurations): TagState {
  const state = previous ?? NO_STATE;
  // A stale window whose deadline passed has turned into expiry: keep that before replacing it.
  const lapsed = state.expireAt !== null && state.expireAt <= now ? state.staleBefore : 0;
  const expiredBefore = Math.max(state.expiredBefore, lapsed);
  if (durations === undefined) {
    return { ...state, expiredBefore: Math.max(expiredBefore, now) };
  }
  const expire = durations.expire;
  const deadline = expire === undefined || !Number.isFinite(expire) ? null : now + Math.max(0, expire) * 1000;
  const pending = state.staleBefore > expiredBefore && lapsed === 0 ? state.expireAt : null;
  const expireAt = pending === null ? deadline : deadline === null ? pending : Math.min(pending, deadline);
  return { expiredBefore, staleBefore: Math.max(state.staleBefore, now), expireAt };
}

/** A state read back from memcached, or `undefined` for anything else (an older or foreign value). */
export function parseTagState(value: unknown): TagState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { expiredBefore, staleBefore, expireAt } = value as Record<string, unknown>;
  if (typeof expiredBefore !== 'number' || typeof staleBefore !== 'number') return undefined;
  if (expireAt !== null && typeof expireAt !== 'number') return undefined;
  return { expiredBefore, staleBefore, expireAt };
}

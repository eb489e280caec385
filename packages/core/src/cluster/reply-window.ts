import { TimeoutError } from '../errors.ts';
import type { DownReason } from './server-health.ts';

/** When a server is ejected for its replies; times in milliseconds. */
export interface EjectionPolicy {
  /** A reply slower than this is slow; undefined: latency never ejects. */
  readonly latency: number | undefined;
  /** Share (0…1) of replies that must be within `latency`: more slow ones than `1 − this` eject. */
  readonly latencyPercentile: number;
  /** Share (0…1) of requests that fail (timeouts, broken connections) that ejects; undefined: never. */
  readonly errorRate: number | undefined;
  /** How far back the shares look. */
  readonly window: number;
  /** Fewest requests in the window before either share is judged: a quiet server is never ejected by chance. */
  readonly minRequests: number;
}

/** What requests refused while a server is ejected for slow replies are told. */
export function slowRepliesError(server: string, policy: EjectionPolicy | undefined): TimeoutError {
  const percentile = Math.round((policy?.latencyPercentile ?? 0) * 100);
  const window = (policy?.window ?? 0) / 1000;
  const message = `ejected: its p${percentile} reply time over the last ${window} s was above ${policy?.latency} ms`;
  return new TimeoutError(message, { server });
}

/** The window is this many buckets, each a tenth of it: it slides by tenths. */
const BUCKETS = 10;

/**
 * A server's recent replies and failures, as counts in a ring of ten time buckets: recording one
 * is a few additions, with no allocation and no timer, so it can sit on every reply. It answers
 * whether the last `window` warrants an ejection: more than `1 − latencyPercentile` of the replies
 * slower than `latency` (the percentile over the threshold), or failures at `errorRate` or above.
 */
export class ReplyWindow {
  readonly #policy: EjectionPolicy;
  readonly #bucketMs: number;
  readonly #replies = new Uint32Array(BUCKETS);
  readonly #slow = new Uint32Array(BUCKETS);
  readonly #failed = new Uint32Array(BUCKETS);
  #totalReplies = 0;
  #totalSlow = 0;
  #totalFailed = 0;
  /** The bucket of the latest record, counted from time 0 (its ring slot is this modulo BUCKETS). */
  #bucket = 0;

  constructor(policy: EjectionPolicy) {
    this.#policy = policy;
    this.#bucketMs = Math.max(1, policy.window / BUCKETS);
  }

  /** Records a reply at `now` that took `ms`; returns the reason to eject, if the window now warrants one. */
  reply(now: number, ms: number): DownReason | undefined {
    const slot = this.#advance(now);
    bump(this.#replies, slot, 1);
    this.#totalReplies++;
    const { latency } = this.#policy;
    if (latency !== undefined && ms > latency) {
      bump(this.#slow, slot, 1);
      this.#totalSlow++;
    }
    return this.#verdict();
  }

  /** Records `count` requests failed at `now`; returns the reason to eject, if the window now warrants one. */
  failed(now: number, count: number): DownReason | undefined {
    const slot = this.#advance(now);
    bump(this.#failed, slot, count);
    this.#totalFailed += count;
    return this.#verdict();
  }

  /** Forgets everything: after an ejection, the server is judged afresh on its return. */
  clear(): void {
    this.#replies.fill(0);
    this.#slow.fill(0);
    this.#failed.fill(0);
    this.#totalReplies = 0;
    this.#totalSlow = 0;
    this.#totalFailed = 0;
  }

  #verdict(): DownReason | undefined {
    const { latency, latencyPercentile, errorRate, minRequests } = this.#policy;
    const requests = this.#totalReplies + this.#totalFailed;
    if (requests < minRequests) return undefined;
    if (errorRate !== undefined && this.#totalFailed >= errorRate * requests) return 'errors';
    // Fast replies under the percentile's share, rather than slow ones over 1 − p: 1 − 0.9 is not 0.1 in floating point.
    const fast = this.#totalReplies - this.#totalSlow;
    if (latency !== undefined && fast < latencyPercentile * this.#totalReplies) return 'latency';
    return undefined;
  }

  /** Moves to the bucket of `now`, emptying the slots of buckets that have since gone out of the window. */
  #advance(now: number): number {
    const bucket = Math.floor(now / this.#bucketMs);
    const stale = Math.min(bucket - this.#bucket, BUCKETS);
    for (let i = 1; i <= stale; i++) this.#empty((this.#bucket + i) % BUCKETS);
    if (bucket > this.#bucket) this.#bucket = bucket;
    return this.#bucket % BUCKETS;
  }

  #empty(slot: number): void {
    this.#totalReplies -= this.#replies[slot] as number;
    this.#totalSlow -= this.#slow[slot] as number;
    this.#totalFailed -= this.#failed[slot] as number;
    this.#replies[slot] = 0;
    this.#slow[slot] = 0;
    this.#failed[slot] = 0;
  }
}

function bump(counts: Uint32Array, slot: number, by: number): void {
  counts[slot] = (counts[slot] as number) + by;
}

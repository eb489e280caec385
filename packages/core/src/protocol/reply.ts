import type { ReplyStatus } from './reply-status.ts';

export { ReplyStatus } from './reply-status.ts';

/** Bits of {@link Reply.leaseFlags}: memcached's meta `W`, `X` and `Z` reply flags. */
export const LeaseFlag = { win: 1, stale: 2, alreadyWon: 4 } as const;

/** What a server knows about an item beside its value (meta `mg` flags `c t h l`). */
export interface ItemMetadata {
  /** The CAS token. */
  readonly cas: bigint;
  /** Seconds left before the item expires; -1 when it never does. */
  readonly ttl: number;
  /** Whether the item had been read before this request. */
  readonly hitBefore: boolean;
  /** Seconds since the item was last read or written. */
  readonly lastAccess: number;
}

/**
 * One reply, read lazily: the value stays in `buffer` between `valueStart` and `valueEnd` (a view
 * of the socket chunk: copy it to keep it) and fields are decoded only when asked for.
 */
export interface Reply {
  readonly status: ReplyStatus;
  readonly buffer: Buffer;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** The item's flags word, or 0 when the reply carries none. */
  readonly flags: number;
  /** The item's CAS token, or 0n when the reply carries none. */
  readonly cas: bigint;
  /** The new value of an incr/decr, or undefined when the reply carries none. */
  readonly counter: bigint | undefined;
  /** The reply's text: a version, a statistic's value, or the server's error message. */
  readonly text: string;
  /** The key the reply names (a multi-get hit, a statistic's name), or '' when none. */
  readonly key: string;
  /** True unless more replies to the same request follow (statistics come one per reply). */
  readonly final: boolean;
  /** What the server knows about the item (getWithMetadata), or undefined when not asked. */
  readonly metadata: ItemMetadata | undefined;
  /**
   * Meta lease flags (`W` won, `X` stale, `Z` already won, as {@link LeaseFlag} bits); 0 or absent
   * in dialects without leases.
   */
  readonly leaseFlags?: number;
  /** Whether the reply names `wireKey`: a last check that a multi-get hit reached its own key. */
  keyIs(wireKey: string): boolean;
}

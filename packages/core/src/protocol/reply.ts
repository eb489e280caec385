/**
 * What a server answered, in no dialect's words: the binary status codes, the meta return codes
 * (`HD`, `EN`, `NS`, …) and the text replies (`STORED`, `NOT_FOUND`, …) all map onto these.
 */
export const ReplyStatus = {
  ok: 'ok',
  /** A miss, or the item to change is absent. */
  notFound: 'notFound',
  /** The CAS token no longer matches (or add found the item there). */
  exists: 'exists',
  /** A conditional write was refused (add, replace, append, prepend). */
  notStored: 'notStored',
  tooLarge: 'tooLarge',
  invalidArguments: 'invalidArguments',
  /** incr/decr on a value that is not a decimal number. */
  nonNumeric: 'nonNumeric',
  /** Authentication refused or required. */
  authError: 'authError',
  /** The server does not know the command (or refuses this dialect). */
  unknownCommand: 'unknownCommand',
  outOfMemory: 'outOfMemory',
  notSupported: 'notSupported',
  busy: 'busy',
  temporaryFailure: 'temporaryFailure',
  /** Any other failure the server reported. */
  serverError: 'serverError',
} as const;
export type ReplyStatus = (typeof ReplyStatus)[keyof typeof ReplyStatus];

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
  /** Whether the reply names `wireKey`: a last check that a multi-get hit reached its own key. */
  keyIs(wireKey: string): boolean;
}

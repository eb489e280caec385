/** Per-call options accepted by every operation. */
export interface OperationOptions {
  /** Stops waiting for this operation: it rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Seconds this operation may wait for its reply; the client's `socketTimeout` when absent. */
  readonly timeout?: number | undefined;
}

/** Options of reads (get, gets, gat, getMulti, fetch). */
export interface ReadOptions extends OperationOptions {
  /**
   * Return the stored bytes as a Buffer (decompressed, not deserialized) whatever the flags; the
   * client's `raw` when absent.
   */
  readonly raw?: boolean | undefined;
  /** `false`: skip the client's near cache for this read (read from the server, fill nothing). Default true. */
  readonly near?: boolean | undefined;
}

/** Options of writes that store a value (set, add, replace, setMulti). */
export interface WriteOptions extends OperationOptions {
  /** Store a string, Buffer or number as is, with flags 0, instead of serializing; the client's `raw` when absent. */
  readonly raw?: boolean | undefined;
  /** Compress (or not) this value if it reaches `compressionMinSize`; the client's `compress` when absent. */
  readonly compress?: boolean | undefined;
}

/** Options of writes that may be conditional on a CAS token (set, replace). */
export interface CasWriteOptions extends WriteOptions {
  /** Only write if the item still has this CAS token (from `gets`); resolves false otherwise. */
  readonly cas?: bigint | undefined;
}

/** Options of delete. */
export interface DeleteOptions extends OperationOptions {
  /** Only delete if the item still has this CAS token; resolves false otherwise. */
  readonly cas?: bigint | undefined;
}

/** Options of incr and decr. */
export interface CounterOptions extends OperationOptions {
  /** Seconds a counter created from `initial` lives; the client's `expiresIn` when absent. */
  readonly ttl?: number | undefined;
  /** Creates a missing counter holding this value; without it a missing key resolves undefined. */
  readonly initial?: number | bigint | undefined;
}

/** Options of the `cas` read-modify-write loop. */
export interface CasOptions extends WriteOptions {
  /** Seconds the written value lives; the client's `expiresIn` when absent. */
  readonly ttl?: number | undefined;
  /** Attempts before giving up on a key others keep changing (1 behaves exactly as Dalli's `cas`). Default 5. */
  readonly maxAttempts?: number | undefined;
}

/** Options of invalidate (meta only). */
export interface InvalidateOptions extends OperationOptions {
  /** Seconds the old value is still served, marked stale, while one reader recomputes; the item's TTL when absent. */
  readonly grace?: number | undefined;
}

/**
 * A value as it goes over the wire: its bytes (or text, sent as UTF-8 with no copy in between),
 * their length in bytes, and the flags word stored beside them.
 */
export interface EncodedValue {
  readonly bytes: Uint8Array | string;
  readonly length: number;
  readonly flags: number;
}

/**
 * What one multi-key read may still decompress, in bytes, across all its values: a getMulti of
 * many planted "bombs" is bounded as a whole, not only value by value.
 */
export interface InflateBudget {
  remaining: number;
}

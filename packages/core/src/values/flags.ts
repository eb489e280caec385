/**
 * Bits of memcached's per-item flags word, as Dalli sets them, so that items written by a Ruby
 * app and a Node app read the same.
 */
export const Flag = {
  /** The value was written by the serializer (Dalli: Marshal by default; here JSON). */
  serialized: 0x1,
  /** The value bytes are compressed (zlib deflate by default). */
  compressed: 0x2,
} as const;

/** Bits this client understands; a value carrying any other bit is returned as raw bytes. */
export const KNOWN_FLAGS: number = Flag.serialized | Flag.compressed;

/** One item from `lru_crawler metadump`. */
export interface DumpedItem {
  /** The key as stored (metadump URL-encodes it; this is decoded). */
  readonly key: string;
  /** When it expires, in Unix seconds; undefined when it never does (`exp=-1`). */
  readonly expiresAt: number | undefined;
  /** Last access, in Unix seconds. */
  readonly lastAccess: number;
  /** Bytes the item takes in memory: key, value and item header. */
  readonly size: number;
  /** Slab class. */
  readonly slabClass: number;
}

/**
 * Parses a metadump line, `key=a%20b exp=-1 la=1796103316 cas=1 fetch=yes cls=1 size=75`
 * (memcached doc/protocol.txt, "lru_crawler metadump"); undefined for a line of another shape.
 */
export function parseMetadumpLine(line: string): DumpedItem | undefined {
  const fields = new Map<string, string>();
  for (const pair of line.split(' ')) {
    const equals = pair.indexOf('=');
    if (equals > 0) fields.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  const key = fields.get('key');
  const exp = Number(fields.get('exp'));
  const size = Number(fields.get('size'));
  if (key === undefined || !Number.isFinite(exp) || !Number.isFinite(size)) return undefined;
  return {
    key: decodeKey(key),
    expiresAt: exp < 0 ? undefined : exp,
    lastAccess: Number(fields.get('la') ?? 0),
    size,
    slabClass: Number(fields.get('cls') ?? 0),
  };
}

/** Keys that are not UTF-8 (the binary protocol allows any bytes) stay URL-encoded rather than fail. */
function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** A shell-style pattern (`*` any run, `?` one character) as an anchored regular expression. */
export function globPattern(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's');
}

/** Counter rows: each key has one counter per row, and its estimate is the least of them. */
const ROWS = 4;
/** Counters saturate here (TinyLFU's 4-bit counters). */
const MAX_COUNT = 15;
/** Counters per row at first; the row grows with the entries the cache holds, up to {@link MAX_WIDTH}. */
const MIN_WIDTH = 4096;
/** 4 rows of 128 Ki one-byte counters: 512 KiB, enough for a cache of 128 Ki entries. */
const MAX_WIDTH = 1 << 17;
/** Records per counter in a sample: after `width * SAMPLE_FACTOR` records every counter is halved. */
const SAMPLE_FACTOR = 10;

/**
 * TinyLFU's count-min sketch (Einbinder, Friedman et al., "TinyLFU: A Highly Efficient Cache
 * Admission Policy"): how often a key was asked for lately, in bounded memory, never
 * undercounting and rarely overcounting. The near cache admits a new key over an old one only if
 * the new one was asked for more often, so a scan of one-off keys cannot flush out the hot ones.
 *
 * As in the paper (and Caffeine), each row has about as many counters as the cache has entries,
 * and every `10 × width` records each counter is halved: with fewer counters, many keys share
 * each one, counts saturate at 15, and admission turns into a coin toss that churns the cache.
 * As in Caffeine, a key's 4 counters sit in one 16-byte block, so a request touches one cache
 * line, not 4. Callers pass the key's {@link hashKey} once, so a key is hashed once per request.
 */
export class FrequencySketch {
  #counters: Uint8Array;
  /** Blocks of 16 counters, less one: a key's counters are in one block (one cache line), 4 per row. */
  #blockMask: number;
  #sampleSize: number;
  #records = 0;

  constructor(width: number = MIN_WIDTH) {
    const size = widthFor(width);
    this.#counters = new Uint8Array(size * ROWS);
    this.#blockMask = (size * ROWS) / 16 - 1;
    this.#sampleSize = size * SAMPLE_FACTOR;
  }

  /** Counters per row. */
  get width(): number {
    return ((this.#blockMask + 1) * 16) / ROWS;
  }

  /**
   * Widens the rows for a cache of `entries` entries (a power of two at least that large, up to
   * 128 Ki). The counts carry over: a key's block in the wider table is its old block or the one a
   * table's length further on (one more bit of its hash), and both start as copies of the old one,
   * so every estimate stays what it was instead of starting over while the cache first fills.
   */
  ensureCapacity(entries: number): void {
    const size = widthFor(entries);
    if (size <= this.width) return;
    const old = this.#counters;
    const counters = new Uint8Array(size * ROWS);
    for (let at = 0; at < counters.length; at += old.length) counters.set(old, at);
    this.#counters = counters;
    this.#blockMask = (size * ROWS) / 16 - 1;
    this.#sampleSize = size * SAMPLE_FACTOR;
  }

  /**
   * Counts one request for the key of `hash`, by conservative update: only the key's least counters
   * go up (the others already count more than this key's requests), so keys that share counters
   * with busier ones are overcounted less.
   */
  record(hash: number): void {
    const counters = this.#counters;
    const block = (hash & this.#blockMask) << 4;
    const spread = spreadOf(hash);
    const a = block + (spread & 3);
    const b = block + 4 + ((spread >>> 8) & 3);
    const c = block + 8 + ((spread >>> 16) & 3);
    const d = block + 12 + ((spread >>> 24) & 3);
    const least = Math.min(counters[a] as number, counters[b] as number, counters[c] as number, counters[d] as number);
    if (least < MAX_COUNT) {
      if (counters[a] === least) counters[a] = least + 1;
      if (counters[b] === least) counters[b] = least + 1;
      if (counters[c] === least) counters[c] = least + 1;
      if (counters[d] === least) counters[d] = least + 1;
    }
    if (++this.#records >= this.#sampleSize) this.#age();
  }

  /** Requests for the key of `hash` lately (an upper estimate, at most 15). */
  frequency(hash: number): number {
    const counters = this.#counters;
    const block = (hash & this.#blockMask) << 4;
    const spread = spreadOf(hash);
    return Math.min(
      counters[block + (spread & 3)] as number,
      counters[block + 4 + ((spread >>> 8) & 3)] as number,
      counters[block + 8 + ((spread >>> 16) & 3)] as number,
      counters[block + 12 + ((spread >>> 24) & 3)] as number,
    );
  }

  #age(): void {
    this.#records = 0;
    const counters = this.#counters;
    for (let i = 0; i < counters.length; i++) counters[i] = (counters[i] as number) >>> 1;
  }
}

function widthFor(entries: number): number {
  let width = MIN_WIDTH;
  while (width < entries && width < MAX_WIDTH) width *= 2;
  return width;
}

/** Which of its 4 counters each row gives the key, one byte of this a row: a second hash, so keys sharing a block rarely share all four. */
function spreadOf(hash: number): number {
  const mixed = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  return mixed ^ (mixed >>> 12);
}

/**
 * FNV-1a over the UTF-16 code units, then MurmurHash3's final mix so the low bits (the block)
 * depend on every unit: cheap, and the sketch only needs spread, not strength. 30 bits, so the
 * hash is a small integer to V8 (kept on every node without a heap number).
 */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) & 0x3fffffff;
}

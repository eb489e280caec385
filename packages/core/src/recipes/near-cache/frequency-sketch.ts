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
 * Callers pass the key's {@link hashKey} once, so a key is hashed once per request.
 */
export class FrequencySketch {
  #counters: Uint8Array;
  #mask: number;
  #sampleSize: number;
  #records = 0;

  constructor(width = MIN_WIDTH) {
    const size = widthFor(width);
    this.#counters = new Uint8Array(size * ROWS);
    this.#mask = size - 1;
    this.#sampleSize = size * SAMPLE_FACTOR;
  }

  /** Counters per row. */
  get width(): number {
    return this.#mask + 1;
  }

  /**
   * Widens the rows for a cache of `entries` entries (a power of two at least that large, up to
   * 128 Ki). The counts start over, as Caffeine's do when it resizes: it happens a few times while
   * the cache first fills, each time with a sample's worth of requests still to come.
   */
  ensureCapacity(entries: number): void {
    const size = widthFor(entries);
    if (size <= this.#mask + 1) return;
    this.#counters = new Uint8Array(size * ROWS);
    this.#mask = size - 1;
    this.#sampleSize = size * SAMPLE_FACTOR;
    this.#records = 0;
  }

  /** Counts one request for the key of `hash`. */
  record(hash: number): void {
    const counters = this.#counters;
    const mask = this.#mask;
    const step = stepOf(hash);
    let at = hash & mask;
    for (let row = 0; row < ROWS; row++) {
      const i = row * (mask + 1) + at;
      const count = counters[i] as number;
      if (count < MAX_COUNT) counters[i] = count + 1;
      at = (at + step) & mask;
    }
    if (++this.#records >= this.#sampleSize) this.#age();
  }

  /** Requests for the key of `hash` lately (an upper estimate, at most 15). */
  frequency(hash: number): number {
    const counters = this.#counters;
    const mask = this.#mask;
    const step = stepOf(hash);
    let at = hash & mask;
    let least = MAX_COUNT;
    for (let row = 0; row < ROWS; row++) {
      const count = counters[row * (mask + 1) + at] as number;
      if (count < least) least = count;
      at = (at + step) & mask;
    }
    return least;
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

/** The distance between a key's counters in successive rows: double hashing from one hash (Kirsch and Mitzenmacher). */
function stepOf(hash: number): number {
  return (Math.imul(hash, 0x9e3779b1) >>> 16) | 1;
}

/**
 * FNV-1a over the UTF-16 code units, then MurmurHash3's final mix so the low bits (a row's index)
 * depend on every unit: cheap, and the sketch only needs spread, not strength.
 */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

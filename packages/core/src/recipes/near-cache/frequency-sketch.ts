/** Counters per row: 4 rows of 4,096 one-byte counters, 16 KiB whatever the number of keys. */
const WIDTH = 4096;
const ROWS = 4;
/** Counters saturate here (TinyLFU's 4-bit counters). */
const MAX_COUNT = 15;
/** After this many records every counter is halved, so yesterday's hot keys do not stay hot forever. */
const SAMPLE_SIZE = WIDTH * 10;

/**
 * TinyLFU's count-min sketch (Einbinder, Friedman et al., "TinyLFU: A Highly Efficient Cache
 * Admission Policy"): how often a key was asked for lately, in bounded memory, never
 * undercounting and rarely overcounting. The near cache admits a new key over an old one only if
 * the new one was asked for more often, so a scan of one-off keys cannot flush out the hot ones.
 */
export class FrequencySketch {
  readonly #counters = new Uint8Array(WIDTH * ROWS);
  #records = 0;

  /** Counts one request for `key`. */
  record(key: string): void {
    const hash = hashKey(key);
    const counters = this.#counters;
    for (let row = 0; row < ROWS; row++) {
      const at = row * WIDTH + slot(hash, row);
      if ((counters[at] as number) < MAX_COUNT) counters[at] = (counters[at] as number) + 1;
    }
    if (++this.#records >= SAMPLE_SIZE) this.#age();
  }

  /** Requests for `key` lately (an upper estimate, at most 15). */
  frequency(key: string): number {
    const hash = hashKey(key);
    let least = MAX_COUNT;
    for (let row = 0; row < ROWS; row++) {
      least = Math.min(least, this.#counters[row * WIDTH + slot(hash, row)] as number);
    }
    return least;
  }

  #age(): void {
    this.#records = 0;
    const counters = this.#counters;
    for (let i = 0; i < counters.length; i++) counters[i] = (counters[i] as number) >>> 1;
  }
}

/** The row's counter index: double hashing from one 32-bit hash (Kirsch and Mitzenmacher). */
function slot(hash: number, row: number): number {
  const second = (Math.imul(hash, 0x9e3779b1) >>> 16) | 1;
  return (hash + row * second) & (WIDTH - 1);
}

/** FNV-1a over the UTF-16 code units: cheap, and the sketch only needs spread, not strength. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

import type { FrequencySketch } from './frequency-sketch.ts';

/**
 * What the store counts per entry beside the value's bytes: the Map slot, the entry object and its
 * fields. A decoded value is counted by its size on the wire (serialized, maybe compressed), so
 * `maxBytes` bounds the cache's accounting, not the exact heap a decoded object takes.
 */
export const ENTRY_OVERHEAD = 96;

/** One value held by the near cache. */
export interface NearEntry {
  readonly value: unknown;
  /** The item's CAS token when it was read, 0n when the read gave none (quiet meta and text gets). */
  readonly cas: bigint;
  /** Bytes accounted: the value on the wire, the key (2 bytes a code unit) and {@link ENTRY_OVERHEAD}. */
  readonly bytes: number;
  /** `performance.now()` (ms) past which the entry must be revalidated before it is served again. */
  freshUntil: number;
  /** Read since the eviction hand last passed (CLOCK's reference bit). */
  visited: boolean;
}

/** Why an entry left the store, for the diagnostics channel. */
export type Removal = 'evicted' | 'rejected';

/**
 * A byte-bounded map with CLOCK eviction (a hit only sets a bit, so reads never reorder the map)
 * and TinyLFU admission: when room must be made, a newcomer replaces the entry under the hand only
 * if the sketch has seen it asked for more often, or if it is a reported hot key.
 */
export class NearStore {
  readonly #entries = new Map<string, NearEntry>();
  readonly #maxBytes: number;
  readonly #sketch: FrequencySketch;
  readonly #removed: (key: string, why: Removal) => void;
  #bytes = 0;

  constructor(maxBytes: number, sketch: FrequencySketch, removed: (key: string, why: Removal) => void) {
    this.#maxBytes = maxBytes;
    this.#sketch = sketch;
    this.#removed = removed;
  }

  /** Bytes accounted for the entries held; never above `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry, marked as used; stale or not (the caller checks `freshUntil`). */
  get(key: string): NearEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined) entry.visited = true;
    return entry;
  }

  /** The entry if it is still `entry` (not replaced or dropped meanwhile). */
  holds(key: string, entry: NearEntry): boolean {
    return this.#entries.get(key) === entry;
  }

  /** Stores `entry` if it fits and wins admission; false if it was turned away. */
  admit(key: string, entry: NearEntry, hot: boolean): boolean {
    if (entry.bytes > this.#maxBytes) return this.#reject(key);
    this.delete(key);
    const frequency = hot ? Number.POSITIVE_INFINITY : this.#sketch.frequency(key);
    // Each entry is passed over at most once with its bit set, so the hand stops within two turns.
    let budget = this.#entries.size * 2 + 1;
    while (this.#bytes + entry.bytes > this.#maxBytes && budget-- > 0) {
      const [victimKey, victim] = this.#entries.entries().next().value as [string, NearEntry];
      this.#entries.delete(victimKey);
      if (victim.visited) {
        victim.visited = false;
        this.#entries.set(victimKey, victim);
        continue;
      }
      if (frequency <= this.#sketch.frequency(victimKey)) {
        this.#entries.set(victimKey, victim);
        return this.#reject(key);
      }
      this.#bytes -= victim.bytes;
      this.#removed(victimKey, 'evicted');
    }
    if (this.#bytes + entry.bytes > this.#maxBytes) return this.#reject(key);
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    return true;
  }

  /** Drops the key; true if it was held. */
  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #reject(key: string): false {
    this.#removed(key, 'rejected');
    return false;
  }
}

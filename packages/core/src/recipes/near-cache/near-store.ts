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
}

/** An entry in the store's ring: CLOCK's reference bit and its neighbours, oldest first. */
interface Node extends NearEntry {
  value: unknown;
  cas: bigint;
  bytes: number;
  readonly key: string;
  /** In the store: set false when removed, so holding is known without a lookup. */
  held: boolean;
  /** Read since the eviction hand last passed. */
  visited: boolean;
  older: Node | undefined;
  newer: Node | undefined;
}

/** Why an entry left the store, for the diagnostics channel. */
export type Removal = 'evicted' | 'rejected';

/**
 * A byte-bounded map with CLOCK eviction (a hit only sets a bit, so reads never reorder anything)
 * and TinyLFU admission: when room must be made, a newcomer replaces the entry under the hand only
 * if the sketch has seen it asked for more often, or if it is a reported hot key. The order is a
 * linked list, not the Map's: V8 leaves a hole per deleted Map entry, and taking the oldest entry
 * again and again would walk ever more holes.
 */
export class NearStore {
  readonly #entries = new Map<string, Node>();
  readonly #maxBytes: number;
  readonly #sketch: FrequencySketch;
  readonly #removed: (key: string, why: Removal) => void;
  #oldest: Node | undefined;
  #newest: Node | undefined;
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
    const node = this.#entries.get(key);
    if (node !== undefined) node.visited = true;
    return node;
  }

  /** Whether `entry` (from {@link NearStore.get}) is still held: not replaced or dropped meanwhile. */
  holds(entry: NearEntry): boolean {
    return (entry as Partial<Node>).held === true;
  }

  /**
   * Stores a new read of a key whose entry `held` was read before: in place, with no lookup and no
   * new object, if `held` is still there and the new size fits; else as {@link NearStore.admit}.
   */
  refill(key: string, held: NearEntry | undefined, entry: NearEntry, hot: boolean): boolean {
    const node = held as Node | undefined;
    if (node?.held !== true || this.#bytes - node.bytes + entry.bytes > this.#maxBytes) {
      return this.admit(key, entry, hot);
    }
    this.#bytes += entry.bytes - node.bytes;
    node.value = entry.value;
    node.cas = entry.cas;
    node.bytes = entry.bytes;
    node.freshUntil = entry.freshUntil;
    // As a new entry would be: the newest, its bit clear.
    node.visited = false;
    this.#unlink(node);
    this.#link(node);
    return true;
  }

  /**
   * Whether a new entry for `key` is worth reading for the cache: there is room, or `key` was asked
   * for more often lately than the entry under the hand. A cheap guess made before reading: a key it
   * turns away is read the plain way, and the cache keeps no new object for it (on a workload the
   * cache cannot hold, churn is what costs: each entry kept is garbage for the old generation).
   */
  mayAdmit(key: string, hot: boolean): boolean {
    const victim = this.#oldest;
    if (hot || victim === undefined) return true;
    if (this.#bytes + victim.bytes <= this.#maxBytes) return true;
    return this.#sketch.frequency(key) > this.#sketch.frequency(victim.key);
  }

  /** Stores `entry` if it fits and wins admission; false if it was turned away. */
  admit(key: string, entry: NearEntry, hot: boolean): boolean {
    if (entry.bytes > this.#maxBytes) return this.#reject(key);
    this.delete(key);
    // The key's frequency is only needed (and hashed) when room must be made.
    let frequency = hot ? Number.POSITIVE_INFINITY : -1;
    // Each entry is passed over at most once with its bit set, so the hand stops within two turns.
    let budget = this.#entries.size * 2 + 1;
    while (this.#bytes + entry.bytes > this.#maxBytes && budget-- > 0) {
      const victim = this.#oldest as Node;
      this.#unlink(victim);
      if (frequency < 0) frequency = this.#sketch.frequency(key);
      if (victim.visited || frequency <= this.#sketch.frequency(victim.key)) {
        // Passed over: to the back of the ring, its bit cleared (CLOCK's second chance).
        const spared = !victim.visited;
        victim.visited = false;
        this.#link(victim);
        if (spared) return this.#reject(key);
        continue;
      }
      this.#entries.delete(victim.key);
      victim.held = false;
      this.#bytes -= victim.bytes;
      this.#removed(victim.key, 'evicted');
    }
    if (this.#bytes + entry.bytes > this.#maxBytes) return this.#reject(key);
    const node: Node = {
      value: entry.value,
      cas: entry.cas,
      bytes: entry.bytes,
      freshUntil: entry.freshUntil,
      key,
      held: true,
      visited: false,
      older: undefined,
      newer: undefined,
    };
    this.#entries.set(key, node);
    this.#link(node);
    this.#bytes += entry.bytes;
    return true;
  }

  /** Drops the key; true if it was held. */
  delete(key: string): boolean {
    const node = this.#entries.get(key);
    if (node === undefined) return false;
    this.#entries.delete(key);
    node.held = false;
    this.#unlink(node);
    this.#bytes -= node.bytes;
    return true;
  }

  clear(): void {
    // Rare (a flush, a bus message for every key, close): each entry must learn it is no longer held.
    for (let node = this.#oldest; node !== undefined; node = node.newer) node.held = false;
    this.#entries.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
    this.#bytes = 0;
  }

  #link(node: Node): void {
    node.older = this.#newest;
    node.newer = undefined;
    if (this.#newest === undefined) this.#oldest = node;
    else this.#newest.newer = node;
    this.#newest = node;
  }

  #unlink(node: Node): void {
    if (node.older === undefined) this.#oldest = node.newer;
    else node.older.newer = node.newer;
    if (node.newer === undefined) this.#newest = node.older;
    else node.newer.older = node.older;
    node.older = undefined;
    node.newer = undefined;
  }

  #reject(key: string): false {
    this.#removed(key, 'rejected');
    return false;
  }
}

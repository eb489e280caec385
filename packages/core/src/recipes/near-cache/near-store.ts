import type { FrequencySketch } from './frequency-sketch.ts';
import { HashSlots } from './hash-slots.ts';

/**
 * What the store counts per entry beside the value's bytes: the index slot, the entry object and its
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
  readonly freshUntil: number;
}

/**
 * The store's one object per key: an entry once `filled`, and before that a key being read for the
 * first time (no value, no bytes, not in the ring). The near cache keeps its reads in flight on it
 * (`reads`, `shared`), so a get costs one Map lookup whatever becomes of it, and a read knows it
 * may still fill its node by `held` alone: a drop or a clear takes the node out of the Map, and a
 * later request makes a new one.
 */
export interface NearNode extends NearEntry {
  readonly key: string;
  /** The key's `hashKey`: its slot in the store's index, and in the sketch. */
  readonly hash: number;
  /** The next node whose key has the same hash (rare: 30 bits). */
  sameHash: NearNode | undefined;
  value: unknown;
  cas: bigint;
  bytes: number;
  freshUntil: number;
  /** In the store's Map; set false when removed or cleared. */
  held: boolean;
  /** Has a value, counted in `bytes`, in the ring. */
  filled: boolean;
  /** Read since the eviction hand last passed. */
  visited: boolean;
  older: NearNode | undefined;
  newer: NearNode | undefined;
  /** Reads of this key in flight that began on this node. */
  reads: number;
  /** The one plain read that callers without a signal or timeout of their own share. */
  shared: Promise<unknown> | undefined;
}

/**
 * How many more requests lately a newcomer needs than the entry it would replace: more than the
 * sketch's noise (its estimates only ever overcount, by what other keys add to shared counters).
 * With 0 (the paper's rule) a workload with no hot keys churns the cache on that noise alone, and
 * churn is what costs: each entry admitted is read with its CAS, kept past a few scavenges and
 * dropped from the old generation. Uniform gets over 20 times the keys a 1 MiB cache holds, in the
 * client: with 0 or 1, 3.5 % of the gets replaced an entry and cost 1–2 µs more CPU each on
 * average than with the near cache off; with 3, 0.2 %, within the noise. In a simulation of the
 * same gets, Zipf(0.99)'s hit ratio moved by under half a point (65.0 % to 64.6 % for 1 MiB; the
 * same for 4 and 16 MiB).
 */
const ADMISSION_MARGIN = 3;

/** Why an entry left the store, for the diagnostics channel. */
export type Removal = 'evicted' | 'rejected';

/**
 * A byte-bounded map with CLOCK eviction (a hit only sets a bit, so reads never reorder anything)
 * and TinyLFU admission: when room must be made, a newcomer replaces the entry under the hand only
 * if the sketch has seen it asked for more often, or if it is a reported hot key. The order is a
 * linked list, not the Map's: V8 leaves a hole per deleted Map entry, and taking the oldest entry
 * again and again would walk ever more holes.
 *
 * The index is keyed by the key's 30-bit `hashKey` (a small integer), its rare collisions
 * chained on the nodes, not by the key string: a lookup by a string the application just built
 * made V8 hash it natively, and measured, that lookup cost a get 1.4 µs of CPU in the client
 * (uniform gets, a 1 MiB cache, Node 24), where hashing it in JavaScript (needed for the sketch
 * anyway) costs a few nanoseconds. The index itself is {@link HashSlots}: typed-array slots, not a
 * `Map`, so a key the store does not hold costs one read.
 */
export class NearStore {
  readonly #nodes = new HashSlots<NearNode>();
  readonly #maxBytes: number;
  readonly #sketch: FrequencySketch;
  readonly #removed: (key: string, why: Removal) => void;
  #oldest: NearNode | undefined;
  #newest: NearNode | undefined;
  #bytes = 0;
  #filled = 0;

  constructor(maxBytes: number, sketch: FrequencySketch, removed: (key: string, why: Removal) => void) {
    this.#maxBytes = maxBytes;
    this.#sketch = sketch;
    this.#removed = removed;
  }

  /** Bytes accounted for the entries held; never above `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries held (keys with a value). */
  get size(): number {
    return this.#filled;
  }

  /**
   * The node of `key` (whose `hashKey` is `hash`), filled or not; marked as used, stale or not
   * (the caller checks `freshUntil`).
   */
  get(key: string, hash: number): NearNode | undefined {
    let node = this.#nodes.get(hash);
    while (node !== undefined && node.key !== key) node = node.sameHash;
    if (node !== undefined) node.visited = true;
    return node;
  }

  /** A new node for a key about to be read, held but not filled (the caller found none). */
  add(key: string, hash: number): NearNode {
    const node: NearNode = {
      value: undefined,
      cas: 0n,
      bytes: 0,
      freshUntil: Number.NEGATIVE_INFINITY,
      key,
      hash,
      sameHash: this.#nodes.get(hash),
      held: true,
      filled: false,
      visited: false,
      older: undefined,
      newer: undefined,
      reads: 0,
      shared: undefined,
    };
    this.#nodes.set(hash, node);
    return node;
  }

  /**
   * Whether a new entry for the key of `hash` is worth reading for the cache: there is room, or the
   * key was asked for more often lately than the entry under the hand (by {@link ADMISSION_MARGIN}). A cheap guess made before
   * reading: a key it turns away is read the plain way, and the cache keeps no object for it (on a
   * workload the cache cannot hold, churn is what costs: each entry kept is garbage for the old
   * generation).
   */
  mayAdmit(hash: number, hot: boolean): boolean {
    const victim = this.#oldest;
    if (hot || victim === undefined || this.#bytes + victim.bytes <= this.#maxBytes) return true;
    return this.#sketch.frequency(hash) > this.#sketch.frequency(victim.hash) + ADMISSION_MARGIN;
  }

  /**
   * Gives the held `node` its value: in place if it fits, else if it wins room over the entries
   * under the hand. A node turned away (or no longer held) is removed; false then.
   */
  fill(node: NearNode, value: unknown, cas: bigint, bytes: number, freshUntil: number, hot: boolean): boolean {
    if (!node.held) return false;
    if (node.filled) {
      // Out of the ring while room is made, so the hand never weighs a node against itself.
      this.#unlink(node);
      this.#bytes -= node.bytes;
      this.#filled--;
      node.filled = false;
    }
    if (bytes > this.#maxBytes || !this.#makeRoom(bytes, node.hash, hot)) {
      this.remove(node);
      this.#removed(node.key, 'rejected');
      return false;
    }
    node.value = value;
    node.cas = cas;
    node.bytes = bytes;
    node.freshUntil = freshUntil;
    // As a new entry: the newest, its bit clear.
    node.visited = false;
    node.filled = true;
    this.#link(node);
    this.#bytes += bytes;
    if (++this.#filled > this.#sketch.width) this.#sketch.ensureCapacity(this.#filled);
    return true;
  }

  /** Takes a held node out; true if it had a value. */
  remove(node: NearNode): boolean {
    if (!node.held) return false;
    node.held = false;
    this.#unindex(node);
    if (!node.filled) return false;
    node.filled = false;
    this.#unlink(node);
    this.#bytes -= node.bytes;
    this.#filled--;
    return true;
  }

  /** Drops the key (whose `hashKey` is `hash`); true if it had a value. */
  delete(key: string, hash: number): boolean {
    const node = this.get(key, hash);
    return node !== undefined && this.remove(node);
  }

  clear(): void {
    // Rare (a flush, a bus message for every key, close): each node must learn it is no longer held.
    for (const first of this.#nodes.values()) {
      for (let node: NearNode | undefined = first; node !== undefined; node = node.sameHash) {
        node.held = false;
        node.filled = false;
      }
    }
    this.#nodes.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
    this.#bytes = 0;
    this.#filled = 0;
  }

  /**
   * Evicts until `bytes` more fit: CLOCK's hand passes over (and clears) entries used since it last
   * came by; the first one not used must be asked for less often than the newcomer (by
   * {@link ADMISSION_MARGIN}), or the newcomer
   * is turned away. Each entry is passed over at most once with its bit set, so the hand stops
   * within two turns.
   */
  #makeRoom(bytes: number, hash: number, hot: boolean): boolean {
    // The newcomer's frequency is only looked up when room must be made.
    let frequency = hot ? Number.POSITIVE_INFINITY : -1;
    let budget = this.#filled * 2 + 1;
    while (this.#bytes + bytes > this.#maxBytes && budget-- > 0) {
      const victim = this.#oldest as NearNode;
      if (frequency < 0) frequency = this.#sketch.frequency(hash);
      if (victim.visited || frequency <= this.#sketch.frequency(victim.hash) + ADMISSION_MARGIN) {
        // Passed over: to the back of the ring, its bit cleared (CLOCK's second chance).
        const spared = !victim.visited;
        victim.visited = false;
        this.#unlink(victim);
        this.#link(victim);
        if (spared) return false;
        continue;
      }
      this.remove(victim);
      this.#removed(victim.key, 'evicted');
    }
    return this.#bytes + bytes <= this.#maxBytes;
  }

  #unindex(node: NearNode): void {
    const first = this.#nodes.get(node.hash);
    if (first === node) {
      if (node.sameHash === undefined) this.#nodes.delete(node.hash);
      else this.#nodes.set(node.hash, node.sameHash);
      return;
    }
    let before = first;
    while (before !== undefined && before.sameHash !== node) before = before.sameHash;
    if (before !== undefined) before.sameHash = node.sameHash;
  }

  #link(node: NearNode): void {
    node.older = this.#newest;
    node.newer = undefined;
    if (this.#newest === undefined) this.#oldest = node;
    else this.#newest.newer = node;
    this.#newest = node;
  }

  #unlink(node: NearNode): void {
    if (node.older === undefined) this.#oldest = node.newer;
    else node.older.newer = node.newer;
    if (node.newer === undefined) this.#newest = node.older;
    else node.newer.older = node.older;
    node.older = undefined;
    node.newer = undefined;
  }
}

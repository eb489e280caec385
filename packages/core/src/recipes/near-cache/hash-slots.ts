/** Slots at first; doubled whenever more than half are taken. */
const MIN_SLOTS = 1024;

/**
 * A map from a 30-bit hash (a small non-negative integer, already well mixed) to a value, by open
 * addressing with linear probing over typed arrays: a lookup reads one slot of an `Int32Array`,
 * and a hash that is not there, which is most of the near cache's lookups on a workload it cannot
 * hold, touches nothing else. A `Map<number, …>` took three dependent reads through V8's hash
 * table for the same answer (about 100 ns a get in a CPU profile of uniform gets). Deletion shifts
 * the following run back, so no tombstones pile up.
 */
export class HashSlots<V> {
  /** Each slot's hash + 1; 0 is empty. */
  #hashes = new Int32Array(MIN_SLOTS);
  #values: (V | undefined)[] = new Array(MIN_SLOTS).fill(undefined);
  #mask = MIN_SLOTS - 1;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(hash: number): V | undefined {
    const hashes = this.#hashes;
    const mask = this.#mask;
    const wanted = hash + 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const found = hashes[slot];
      if (found === wanted) return this.#values[slot];
      if (found === 0) return undefined;
    }
  }

  set(hash: number, value: V): void {
    const slot = this.#slotOf(hash);
    if (this.#hashes[slot] === 0) {
      if ((this.#size + 1) * 2 > this.#hashes.length) {
        this.#grow();
        this.set(hash, value);
        return;
      }
      this.#hashes[slot] = hash + 1;
      this.#size++;
    }
    this.#values[slot] = value;
  }

  delete(hash: number): void {
    let hole = this.#slotOf(hash);
    if (this.#hashes[hole] === 0) return;
    this.#size--;
    const hashes = this.#hashes;
    const mask = this.#mask;
    // Backward shift: an entry after the hole moves into it unless its home slot lies after the
    // hole (cyclically, up to where it sits), where a lookup would no longer reach it.
    for (let next = (hole + 1) & mask; hashes[next] !== 0; next = (next + 1) & mask) {
      const home = ((hashes[next] as number) - 1) & mask;
      const reachable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
      if (!reachable) continue;
      hashes[hole] = hashes[next] as number;
      this.#values[hole] = this.#values[next];
      hole = next;
    }
    hashes[hole] = 0;
    this.#values[hole] = undefined;
  }

  *values(): IterableIterator<V> {
    for (let slot = 0; slot < this.#hashes.length; slot++) {
      if (this.#hashes[slot] !== 0) yield this.#values[slot] as V;
    }
  }

  clear(): void {
    this.#hashes = new Int32Array(MIN_SLOTS);
    this.#values = new Array(MIN_SLOTS).fill(undefined);
    this.#mask = MIN_SLOTS - 1;
    this.#size = 0;
  }

  /** The slot holding `hash`, or the empty slot where it would go. */
  #slotOf(hash: number): number {
    const hashes = this.#hashes;
    const mask = this.#mask;
    const wanted = hash + 1;
    let slot = hash & mask;
    while (hashes[slot] !== 0 && hashes[slot] !== wanted) slot = (slot + 1) & mask;
    return slot;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const values = this.#values;
    const slots = hashes.length * 2;
    this.#hashes = new Int32Array(slots);
    this.#values = new Array(slots).fill(undefined);
    this.#mask = slots - 1;
    this.#size = 0;
    for (let slot = 0; slot < hashes.length; slot++) {
      if (hashes[slot] !== 0) this.set((hashes[slot] as number) - 1, values[slot] as V);
    }
  }
}

/**
 * Misra–Gries frequent items ("Finding repeated elements", 1982): at most `capacity` counters, and
 * every key asked for more than n / (capacity + 1) times out of n is among them, its count short
 * by at most that much. Each counter costs a Map slot and the key, so 200 counters of keys up to
 * 250 bytes stay under 64 KiB. Decrementing every counter when a newcomer finds no room costs
 * O(capacity), but at most once per counted request, so O(1) per request on average.
 */
export class HeavyHitters {
  readonly #capacity: number;
  #counts = new Map<string, number>();
  #total = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Requests counted since the last reset. */
  get total(): number {
    return this.#total;
  }

  add(key: string): void {
    this.#total++;
    const count = this.#counts.get(key);
    if (count !== undefined) this.#counts.set(key, count + 1);
    else if (this.#counts.size < this.#capacity) this.#counts.set(key, 1);
    else this.#decrementAll();
  }

  /** Each kept key with its count (a lower bound of its true count). */
  entries(): IterableIterator<[string, number]> {
    return this.#counts.entries();
  }

  reset(): void {
    this.#counts = new Map();
    this.#total = 0;
  }

  #decrementAll(): void {
    for (const [key, count] of this.#counts) {
      if (count <= 1) this.#counts.delete(key);
      else this.#counts.set(key, count - 1);
    }
  }
}

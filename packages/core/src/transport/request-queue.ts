/**
 * First-in first-out queue on a ring buffer whose capacity doubles when full: O(1) push and shift
 * without Array#shift's copying, which matters with thousands of requests in flight.
 */
export class RequestQueue<T> {
  #items: (T | undefined)[] = new Array(16);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & (this.#items.length - 1)] = item;
    this.#size++;
  }

  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  /** The item `index` places from the front, or undefined past the end. */
  at(index: number): T | undefined {
    return index < this.#size ? this.#items[(this.#head + index) & (this.#items.length - 1)] : undefined;
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#size--;
    return item;
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const items: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) items.push(item);
    return items;
  }

  /** Visits items oldest first without removing them. */
  forEach(visit: (item: T) => void): void {
    const mask = this.#items.length - 1;
    for (let i = 0; i < this.#size; i++) visit(this.#items[(this.#head + i) & mask] as T);
  }

  #grow(): void {
    const old = this.#items;
    const items: (T | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & (old.length - 1)];
    this.#items = items;
    this.#head = 0;
  }
}

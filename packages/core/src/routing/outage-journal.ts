/** A key written or deleted around its dead server: that server may still hold an older copy. */
export interface JournalEntry {
  /** The server that owned the key when the write went around it. */
  readonly owner: string;
  /** Its copy has been deleted since it came back: it may serve the key again. */
  invalidated: boolean;
  /** The deletion under way, which requests for the key share. */
  pending: Promise<number> | undefined;
}

/**
 * The keys whose writes or deletes failed over while their server was unreachable. When the server
 * answers again it still holds their old values; each is deleted there before the server serves
 * its key again. At most `max` keys are held: the oldest go first (each drop is counted).
 */
export class OutageJournal {
  readonly #entries = new Map<string, JournalEntry>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): JournalEntry | undefined {
    return this.#entries.get(key);
  }

  /** Remembers the key (again: its owner's copy is stale anew); true when the oldest entry was dropped for it. */
  record(key: string, owner: string): boolean {
    this.#entries.delete(key);
    this.#entries.set(key, { owner, invalidated: false, pending: undefined });
    if (this.#entries.size <= this.#max) return false;
    const oldest = this.#entries.keys().next().value as string;
    this.#entries.delete(oldest);
    return true;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}

/** Entries kept at most; the oldest is forgotten first. Forgetting one only costs a re-read. */
const CAPACITY = 10_000;

/**
 * The CAS token and generation of each session this process read last, so that the save at the
 * end of the same request can write conditionally without reading the session again. Only an
 * optimisation: a stale or missing entry makes the conditional write re-read, never write blindly.
 */
export class RecentCas {
  readonly #entries = new Map<string, { cas: bigint; generation: string }>();

  remember(sid: string, cas: bigint, generation: string): void {
    this.#entries.delete(sid);
    this.#entries.set(sid, { cas, generation });
    if (this.#entries.size > CAPACITY) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /** The entry for `sid`, removed: a CAS token is good for one write. */
  take(sid: string): { cas: bigint; generation: string } | undefined {
    const entry = this.#entries.get(sid);
    this.#entries.delete(sid);
    return entry;
  }
}

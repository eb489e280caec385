import { nextSlice } from './rings/build-ring-in-slices.ts';
import type { Server } from './server.ts';
import { parseServerEntry, type ServerEntry } from './server-string.ts';

/**
 * A large fleet's servers, from entries already checked (plain `host:port[:weight]`, see `plainServerList`),
 * made a slice of about 2 ms at a time after the constructor returns: reading 10,000 entries and
 * making their servers took 10–20 ms of the event loop when done at once (more on a loaded
 * machine, the code being cold). Something synchronous that needs them first makes the rest at once.
 */
export class ServersInSlices {
  readonly #entries: readonly string[];
  readonly #make: (entry: ServerEntry) => Server;
  /** The servers made so far, in entry order; the same array once all are made. */
  readonly #made: Server[] = [];

  constructor(entries: readonly string[], make: (entry: ServerEntry) => Server) {
    this.#entries = entries;
    this.#make = make;
  }

  get count(): number {
    return this.#entries.length;
  }

  /** Every server, those not made yet made now. */
  all(): readonly Server[] {
    while (this.#makeNext()) {}
    return this.#made;
  }

  /** Every server, made in slices with a turn of the event loop between them. */
  async inSlices(): Promise<readonly Server[]> {
    for (;;) {
      const sliceEnd = await nextSlice();
      while (performance.now() < sliceEnd) if (!this.#makeNext()) return this.#made;
    }
  }

  /** Makes the next server; false when all are made. */
  #makeNext(): boolean {
    const made = this.#made;
    const entry = this.#entries[made.length];
    if (entry === undefined) return false;
    made.push(this.#make(parseServerEntry(entry)));
    return true;
  }
}

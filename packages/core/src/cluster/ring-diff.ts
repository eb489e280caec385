import type { KeyRing } from './rings/key-ring.ts';

/** Evenly spaced hashes the moved share is measured on: 2^16 of the 2^32 a ring can place. */
const SAMPLES = 65_536;
const STEP = 2 ** 32 / SAMPLES;

/** One side of a membership change: the servers (by name, in ring order) and their ring. */
export interface RingSide {
  readonly names: readonly string[];
  readonly ring: KeyRing | undefined;
}

/**
 * What a membership change did to key placement: which servers came and went, which share of the
 * key space now belongs to another server, and, for any key, whether it moved. Rings are compared
 * by server name, so a server kept in both lists keeps its keys unless the ring gives them away.
 */
export class RingDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Share (0…1) of the key space whose server changed, measured on 65,536 evenly spaced hashes. */
  readonly movedShare: number;
  readonly #before: RingSide;
  readonly #after: RingSide;

  constructor(before: RingSide, after: RingSide) {
    this.#before = before;
    this.#after = after;
    // Sets, not includes(): a diff between two lists of thousands of servers stays linear.
    const beforeNames = new Set(before.names);
    const afterNames = new Set(after.names);
    this.added = after.names.filter((name) => !beforeNames.has(name));
    this.removed = before.names.filter((name) => !afterNames.has(name));
    let moved = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const hash = Math.floor(i * STEP);
      if (ownerAt(before, hash) !== ownerAt(after, hash)) moved++;
    }
    this.movedShare = moved / SAMPLES;
  }

  /** The server that owned `wireKey` before the change (undefined when there was none). */
  ownerBefore(wireKey: string): string | undefined {
    return ownerOfKey(this.#before, wireKey);
  }

  /** The server that owns `wireKey` after the change (undefined when there is none). */
  ownerAfter(wireKey: string): string | undefined {
    return ownerOfKey(this.#after, wireKey);
  }

  /** Whether the change gave `wireKey` to another server (failover aside). */
  moved(wireKey: string): boolean {
    return this.ownerBefore(wireKey) !== this.ownerAfter(wireKey);
  }
}

function ownerOfKey(side: RingSide, wireKey: string): string | undefined {
  return side.ring === undefined ? undefined : ownerAt(side, side.ring.hash(wireKey));
}

function ownerAt(side: RingSide, hash: number): string | undefined {
  if (side.ring === undefined) return undefined;
  // One server takes every key, whatever its ring says (as the cluster routes).
  if (side.names.length === 1) return side.names[0];
  return side.names[side.ring.ownerOf(hash)];
}

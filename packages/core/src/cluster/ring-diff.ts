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
  readonly #before: RingSide;
  readonly #after: RingSide;
  #movedShare: number | undefined;

  constructor(before: RingSide, after: RingSide) {
    this.#before = before;
    this.#after = after;
    const beforeNames = new Set(before.names);
    const afterNames = new Set(after.names);
    this.added = after.names.filter((name) => !beforeNames.has(name));
    this.removed = before.names.filter((name) => !afterNames.has(name));
  }

  /**
   * Share (0…1) of the key space whose server changed, measured on 65,536 evenly spaced hashes.
   * Measured on first read, not by the change itself: 131,072 ring lookups cost a membership
   * change of a large fleet more than its new ring does, and most changes are never asked.
   */
  get movedShare(): number {
    this.#movedShare ??= measureMovedShare(this.#before, this.#after);
    return this.#movedShare;
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

function measureMovedShare(before: RingSide, after: RingSide): number {
  const hashes = sampleHashes();
  const was = ownersAt(before, hashes);
  const now = ownersAt(after, hashes);
  // Compare owners by index, each server before mapped to its index after (-2 once removed; -1
  // stands for no server at all), so the loop compares numbers, not names.
  const afterIndex = new Map(after.names.map((name, index) => [name, index]));
  const mapped = Int32Array.from(before.names, (name) => afterIndex.get(name) ?? -2);
  let moved = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const owner = was[i] as number;
    if ((owner === -1 ? -1 : (mapped[owner] as number)) !== now[i]) moved++;
  }
  return moved / SAMPLES;
}

/** The evenly spaced hashes, ascending, so each ring answers them in one walk. */
function sampleHashes(): Uint32Array {
  const hashes = new Uint32Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) hashes[i] = Math.floor(i * STEP);
  return hashes;
}

/** The index of the server owning each hash on one side, -1 when the side has no server. */
function ownersAt(side: RingSide, hashes: Uint32Array): Int32Array {
  if (side.ring === undefined) return new Int32Array(hashes.length).fill(-1);
  // One server takes every key, whatever its ring says (as the cluster routes).
  if (side.names.length === 1) return new Int32Array(hashes.length);
  return new Int32Array(side.ring.ownersOfAscending(hashes));
}

import type { Command } from '../protocol/command.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';

/** Requests are encoded into slabs this large unless one needs more. */
const SLAB_SIZE = 64 * 1024;
/** A slab grown past this (by one huge batch) is dropped once written, not kept for the connection's life. */
const SLAB_RETAINED_MAX = 4 * 1024 * 1024;

/**
 * Encodes requests (in the connection's dialect) back to back into a slab and hands out the bytes appended since the last
 * `take()` as one view, ready for a single socket write. Taken views are never written again
 * while the socket may hold them: only once every view taken from the slab is reported
 * `written()` does encoding start over at its beginning, so in the steady state one slab serves
 * every write. A full slab with views still held is replaced, carrying over the bytes not yet
 * taken so that one tick's requests always leave in one write.
 */
export class OutputBuffer {
  readonly #protocol: WireProtocol;
  #slab: Buffer = Buffer.allocUnsafe(SLAB_SIZE);
  #start = 0;
  #end = 0;
  /** Views taken from the current slab that the socket has not finished writing. */
  #held = 0;
  /** Views taken from earlier slabs and not yet written: they complete first (writes finish in order). */
  #heldOnOldSlabs = 0;

  constructor(protocol: WireProtocol) {
    this.#protocol = protocol;
  }

  /** Bytes appended and not yet taken. */
  get pending(): number {
    return this.#end - this.#start;
  }

  append(command: Command, opaque: number): void {
    const length = this.#protocol.encodeBound(command);
    if (this.#end + length > this.#slab.length) this.#replaceSlab(length);
    this.#end = this.#protocol.encode(command, opaque, this.#slab, this.#end);
  }

  /** The bytes appended since the last take, to be written; call `written()` when the socket is done with them. */
  take(): Buffer | undefined {
    if (this.#start === this.#end) return undefined;
    const bytes = this.#slab.subarray(this.#start, this.#end);
    this.#start = this.#end;
    this.#held++;
    return bytes;
  }

  /** The socket finished (or gave up) writing the oldest view still held. */
  written(): void {
    if (this.#heldOnOldSlabs > 0) {
      this.#heldOnOldSlabs--;
      return;
    }
    this.#held--;
    if (this.#held > 0 || this.#start !== this.#end) return;
    this.#start = 0;
    this.#end = 0;
    if (this.#slab.length > SLAB_RETAINED_MAX) this.#slab = Buffer.allocUnsafe(SLAB_SIZE);
  }

  #replaceSlab(needed: number): void {
    const pending = this.#end - this.#start;
    if (this.#held === 0 && pending + needed <= this.#slab.length) {
      this.#slab.copyWithin(0, this.#start, this.#end);
    } else {
      // Doubling keeps a large tick's batch at amortized O(1) copying per request.
      const slab = Buffer.allocUnsafe(Math.max(SLAB_SIZE, 2 * (pending + needed)));
      this.#slab.copy(slab, 0, this.#start, this.#end);
      this.#slab = slab;
      this.#heldOnOldSlabs += this.#held;
      this.#held = 0;
    }
    this.#start = 0;
    this.#end = pending;
  }
}

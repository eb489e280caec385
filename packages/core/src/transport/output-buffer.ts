import { encodeRequest, type Request, requestLengthBound } from '../protocol/index.ts';

/** Requests are encoded into slabs this large unless one needs more. */
const SLAB_SIZE = 64 * 1024;

/**
 * Encodes requests back to back into a slab and hands out the bytes appended since the last
 * `take()` as one view, ready for a single socket write. Taken views are never written again, so
 * the socket may hold them while later requests are encoded after them; a full slab is replaced,
 * carrying over the bytes not yet taken so that one tick's requests always leave in one write.
 */
export class OutputBuffer {
  #slab: Buffer = Buffer.allocUnsafe(SLAB_SIZE);
  #start = 0;
  #end = 0;

  /** Bytes appended and not yet taken. */
  get pending(): number {
    return this.#end - this.#start;
  }

  append(request: Request, opaque: number): void {
    const length = requestLengthBound(request);
    if (this.#end + length > this.#slab.length) this.#replaceSlab(length);
    this.#end = encodeRequest(request, opaque, this.#slab, this.#end);
  }

  take(): Buffer | undefined {
    if (this.#start === this.#end) return undefined;
    const bytes = this.#slab.subarray(this.#start, this.#end);
    this.#start = this.#end;
    return bytes;
  }

  #replaceSlab(needed: number): void {
    const pending = this.#end - this.#start;
    // Doubling keeps a large tick's batch at amortized O(1) copying per request.
    const slab = Buffer.allocUnsafe(Math.max(SLAB_SIZE, 2 * (pending + needed)));
    this.#slab.copy(slab, 0, this.#start, this.#end);
    this.#slab = slab;
    this.#start = 0;
    this.#end = pending;
  }
}

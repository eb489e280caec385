import { RequestQueue } from './request-queue.ts';

/**
 * Request bytes a TLS connection leaves unanswered at once. memcached < 1.6.39 stalls on a deeper
 * TLS pipeline (see WriteWindow); below one TLS record (16 KiB) it never has more buffered than it reads.
 */
export const TLS_WRITE_WINDOW: number = 16 * 1024;

/** Room kept for the barrier (NOOP, `mn`) that may follow the last request of a write. */
const BARRIER_RESERVE = 32;

/**
 * Bounds the request bytes written and not yet answered. memcached before 1.6.39 (fixed in
 * 96e05b75f) can stall a TLS connection that has a deep pipeline of requests buffered: decrypted
 * bytes wait inside OpenSSL where its event loop never looks, so no reply ever comes. Over TLS the
 * connection writes up to this window and sends the rest as replies free it.
 */
export class WriteWindow {
  readonly #limit: number;
  /** Encoded size of each request in flight, in wire order (the connection's in-flight queue). */
  readonly #sizes = new RequestQueue<number>();
  #bytes = 0;

  /** `limit`: bytes that may be unanswered at once; a request alone on the wire goes whatever its size. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** True if a request of at most `size` bytes (and a barrier after it) may be written now. */
  fits(size: number): boolean {
    return this.#bytes === 0 || this.#bytes + size + BARRIER_RESERVE <= this.#limit;
  }

  /** A request of `size` bytes was encoded for writing. */
  add(size: number): void {
    this.#sizes.push(size);
    this.#bytes += size;
  }

  /** The oldest request in flight is answered (or passed over, if quiet). */
  answered(): void {
    this.#bytes -= this.#sizes.shift() ?? 0;
  }
}

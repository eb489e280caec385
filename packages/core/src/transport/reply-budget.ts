/** Frames one reply may span (a `stats items` reply is about 1,300; nothing legitimate nears this). */
export const MAX_REPLY_FRAMES = 10_000;
/** Bytes a frame costs besides its body: its header. */
const FRAME_OVERHEAD = 24;

/**
 * Bounds one request's reply as a whole, whatever the dialect: how many frames it may span and how
 * many bytes they may add up to. A single frame is bounded by the frame reader; this bounds a
 * multi-frame reply (STAT) that a hostile or broken server never ends, so it cannot grow the heap
 * until the timeout. The connection charges every frame and resets at each request's last frame.
 */
export class ReplyBudget {
  readonly #maxBytes: number;
  #frames = 0;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Counts one frame of the current reply; returns why the reply is over budget, or undefined. */
  charge(bodyLength: number): string | undefined {
    this.#frames++;
    this.#bytes += bodyLength + FRAME_OVERHEAD;
    if (this.#frames > MAX_REPLY_FRAMES) return `a reply of more than ${MAX_REPLY_FRAMES} frames`;
    if (this.#bytes > this.#maxBytes) {
      return `a reply of more than ${this.#maxBytes} bytes (${this.#frames} frames so far)`;
    }
    return undefined;
  }

  /** The current reply is complete: the next frame starts a new one. */
  reset(): void {
    this.#frames = 0;
    this.#bytes = 0;
  }
}

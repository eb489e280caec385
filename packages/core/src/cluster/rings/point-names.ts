/**
 * A server's point names, `<prefix><i>` for i = 0, 1, 2…, written as UTF-8 bytes into one buffer:
 * the prefix is encoded once per server, and each name costs only its digits (no string per point).
 */
export class PointNames {
  /** The name last written, from byte 0 to the length {@link write} returned. */
  readonly bytes: Uint8Array;
  readonly #prefixLength: number;

  constructor(prefix: string) {
    const encoded = Buffer.from(prefix, 'utf8');
    // 10 digits hold any point index a ring can have (a Uint32Array is smaller than 2^32 points).
    this.bytes = new Uint8Array(encoded.length + 10);
    this.bytes.set(encoded);
    this.#prefixLength = encoded.length;
  }

  /** Writes `<prefix><i>` (i a non-negative integer, in decimal as `String(i)` writes it); returns its length. */
  write(i: number): number {
    const bytes = this.bytes;
    let end = this.#prefixLength;
    let digits = 1;
    for (let rest = i; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    end += digits;
    let rest = i;
    for (let at = end - 1; at >= this.#prefixLength; at--) {
      bytes[at] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    return end;
  }
}

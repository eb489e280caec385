/**
 * The 64-byte blocks MD5 and SHA-1 digest a point name in: one buffer, grown when a name needs more
 * blocks and reused by every digest (each runs to the end synchronously, so none can interleave).
 */
let block = new Uint8Array(128);
let view = new DataView(block.buffer);

/**
 * Copies `message[0, length)` into the shared blocks with the Merkle–Damgård padding both digests
 * use: 0x80, zeros, and the length in bits in the last 8 bytes, little-endian for MD5 and big-endian
 * for SHA-1. Returns the number of blocks; {@link paddedView} reads them.
 */
export function padBlocks(message: Uint8Array, length: number, littleEndian: boolean): number {
  const blocks = Math.ceil((length + 9) / 64);
  const end = blocks * 64;
  if (block.length < end) {
    block = new Uint8Array(end);
    view = new DataView(block.buffer);
  }
  const bytes = block;
  for (let i = 0; i < length; i++) bytes[i] = message[i] as number;
  bytes[length] = 0x80;
  for (let i = length + 1; i < end; i++) bytes[i] = 0;
  // A point name is far below 2^29 bytes: the length's upper word stays 0.
  if (littleEndian) view.setUint32(end - 8, length * 8, true);
  else view.setUint32(end - 4, length * 8, false);
  return blocks;
}

/** The blocks {@link padBlocks} filled last. */
export function paddedView(): DataView {
  return view;
}

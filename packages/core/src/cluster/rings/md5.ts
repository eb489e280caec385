/**
 * MD5 (RFC 1321) of a short message, as the four little-endian words libketama cuts a digest into
 * (`digest.readUInt32LE(0)`, `(4)`, `(8)`, `(12)`). Written out in JavaScript for the same reason
 * as {@link sha1FirstWord}: a ketama ring hashes 40 names per server.
 */

let block = new Uint8Array(128);

/** Writes the four words of MD5(`message[0, length)`) into `out` at `at`. */
export function md5Words(message: Uint8Array, length: number, out: Uint32Array, at: number): void {
  const blocks = padLittleEndian(message, length);
  const bytes = block;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  for (let offset = 0; offset < blocks * 64; offset += 64) {
    const x0 =
      (bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24);
    const x1 =
      (bytes[offset + 4] as number) |
      ((bytes[offset + 5] as number) << 8) |
      ((bytes[offset + 6] as number) << 16) |
      ((bytes[offset + 7] as number) << 24);
    const x2 =
      (bytes[offset + 8] as number) |
      ((bytes[offset + 9] as number) << 8) |
      ((bytes[offset + 10] as number) << 16) |
      ((bytes[offset + 11] as number) << 24);
    const x3 =
      (bytes[offset + 12] as number) |
      ((bytes[offset + 13] as number) << 8) |
      ((bytes[offset + 14] as number) << 16) |
      ((bytes[offset + 15] as number) << 24);
    const x4 =
      (bytes[offset + 16] as number) |
      ((bytes[offset + 17] as number) << 8) |
      ((bytes[offset + 18] as number) << 16) |
      ((bytes[offset + 19] as number) << 24);
    const x5 =
      (bytes[offset + 20] as number) |
      ((bytes[offset + 21] as number) << 8) |
      ((bytes[offset + 22] as number) << 16) |
      ((bytes[offset + 23] as number) << 24);
    const x6 =
      (bytes[offset + 24] as number) |
      ((bytes[offset + 25] as number) << 8) |
      ((bytes[offset + 26] as number) << 16) |
      ((bytes[offset + 27] as number) << 24);
    const x7 =
      (bytes[offset + 28] as number) |
      ((bytes[offset + 29] as number) << 8) |
      ((bytes[offset + 30] as number) << 16) |
      ((bytes[offset + 31] as number) << 24);
    const x8 =
      (bytes[offset + 32] as number) |
      ((bytes[offset + 33] as number) << 8) |
      ((bytes[offset + 34] as number) << 16) |
      ((bytes[offset + 35] as number) << 24);
    const x9 =
      (bytes[offset + 36] as number) |
      ((bytes[offset + 37] as number) << 8) |
      ((bytes[offset + 38] as number) << 16) |
      ((bytes[offset + 39] as number) << 24);
    const x10 =
      (bytes[offset + 40] as number) |
      ((bytes[offset + 41] as number) << 8) |
      ((bytes[offset + 42] as number) << 16) |
      ((bytes[offset + 43] as number) << 24);
    const x11 =
      (bytes[offset + 44] as number) |
      ((bytes[offset + 45] as number) << 8) |
      ((bytes[offset + 46] as number) << 16) |
      ((bytes[offset + 47] as number) << 24);
    const x12 =
      (bytes[offset + 48] as number) |
      ((bytes[offset + 49] as number) << 8) |
      ((bytes[offset + 50] as number) << 16) |
      ((bytes[offset + 51] as number) << 24);
    const x13 =
      (bytes[offset + 52] as number) |
      ((bytes[offset + 53] as number) << 8) |
      ((bytes[offset + 54] as number) << 16) |
      ((bytes[offset + 55] as number) << 24);
    const x14 =
      (bytes[offset + 56] as number) |
      ((bytes[offset + 57] as number) << 8) |
      ((bytes[offset + 58] as number) << 16) |
      ((bytes[offset + 59] as number) << 24);
    const x15 =
      (bytes[offset + 60] as number) |
      ((bytes[offset + 61] as number) << 8) |
      ((bytes[offset + 62] as number) << 16) |
      ((bytes[offset + 63] as number) << 24);
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let t: number;
    // RFC 1321 §3.4's 64 steps written out, the four registers renamed instead of rotated.
    t = (a + ((b & c) | (~b & d)) - 0x28955b88 + x0) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) - 0x173848aa + x1) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + 0x242070db + x2) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) - 0x3e423112 + x3) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) - 0x0a83f051 + x4) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + 0x4787c62a + x5) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) - 0x57cfb9ed + x6) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) - 0x02b96aff + x7) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + 0x698098d8 + x8) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) - 0x74bb0851 + x9) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) - 0x0000a44f + x10) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) - 0x76a32842 + x11) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + 0x6b901122 + x12) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) - 0x02678e6d + x13) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) - 0x5986bc72 + x14) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + 0x49b40821 + x15) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & d) | (c & ~d)) - 0x09e1da9e + x1) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((a & c) | (b & ~c)) - 0x3fbf4cc0 + x6) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((d & b) | (a & ~b)) + 0x265e5a51 + x11) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((c & a) | (d & ~a)) - 0x16493856 + x0) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((b & d) | (c & ~d)) - 0x29d0efa3 + x5) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((a & c) | (b & ~c)) + 0x02441453 + x10) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((d & b) | (a & ~b)) - 0x275e197f + x15) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((c & a) | (d & ~a)) - 0x182c0438 + x4) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((b & d) | (c & ~d)) + 0x21e1cde6 + x9) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((a & c) | (b & ~c)) - 0x3cc8f82a + x14) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((d & b) | (a & ~b)) - 0x0b2af279 + x3) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((c & a) | (d & ~a)) + 0x455a14ed + x8) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((b & d) | (c & ~d)) - 0x561c16fb + x13) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((a & c) | (b & ~c)) - 0x03105c08 + x2) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((d & b) | (a & ~b)) + 0x676f02d9 + x7) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((c & a) | (d & ~a)) - 0x72d5b376 + x12) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + (b ^ c ^ d) - 0x0005c6be + x5) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) - 0x788e097f + x8) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + 0x6d9d6122 + x11) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) - 0x021ac7f4 + x14) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) - 0x5b4115bc + x1) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + 0x4bdecfa9 + x4) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) - 0x0944b4a0 + x7) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) - 0x41404390 + x10) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + 0x289b7ec6 + x13) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) - 0x155ed806 + x0) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) - 0x2b10cf7b + x3) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + 0x04881d05 + x6) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) - 0x262b2fc7 + x9) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) - 0x1924661b + x12) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + 0x1fa27cf8 + x15) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) - 0x3b53a99b + x2) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (c ^ (b | ~d)) - 0x0bd6ddbc + x0) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + 0x432aff97 + x7) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) - 0x546bdc59 + x14) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) - 0x036c5fc7 + x5) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + 0x655b59c3 + x12) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) - 0x70f3336e + x3) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) - 0x00100b83 + x10) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) - 0x7a7ba22f + x1) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + 0x6fa87e4f + x8) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) - 0x01d31920 + x15) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) - 0x5cfebcec + x6) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + 0x4e0811a1 + x13) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) - 0x08ac817e + x4) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) - 0x42c50dcb + x11) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + 0x2ad7d2bb + x2) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) - 0x14792c6f + x9) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
  }
  out[at] = h0;
  out[at + 1] = h1;
  out[at + 2] = h2;
  out[at + 3] = h3;
}

/** Copies the message into the block buffer with MD5's padding (little-endian bit length); returns the blocks. */
function padLittleEndian(message: Uint8Array, length: number): number {
  const blocks = Math.ceil((length + 9) / 64);
  if (block.length < blocks * 64) block = new Uint8Array(blocks * 64);
  const bytes = block;
  for (let i = 0; i < length; i++) bytes[i] = message[i] as number;
  bytes[length] = 0x80;
  const end = blocks * 64;
  for (let i = length + 1; i < end - 8; i++) bytes[i] = 0;
  const bits = length * 8;
  bytes[end - 4] = 0;
  bytes[end - 3] = 0;
  bytes[end - 2] = 0;
  bytes[end - 1] = 0;
  bytes[end - 8] = bits;
  bytes[end - 7] = bits >>> 8;
  bytes[end - 6] = bits >>> 16;
  bytes[end - 5] = bits >>> 24;
  return blocks;
}

/**
 * SHA-1 (FIPS 180-4) of a short message, only as far as a ring needs it: the digest's first four
 * bytes as a big-endian word. Written out in JavaScript because a ring hashes 160 short names per
 * server, and one `createHash()` per name (an object, a native call and a Buffer each) was most of
 * the cost of building a ring of a thousand servers.
 */

let block = new Uint8Array(128);

/** The first word of SHA1(`message[0, length)`), as `digest.readUInt32BE(0)` reads it. */
export function sha1FirstWord(message: Uint8Array, length: number): number {
  const blocks = padBigEndian(message, length);
  const bytes = block;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let offset = 0; offset < blocks * 64; offset += 64) {
    let w0 =
      ((bytes[offset] as number) << 24) |
      ((bytes[offset + 1] as number) << 16) |
      ((bytes[offset + 2] as number) << 8) |
      (bytes[offset + 3] as number);
    let w1 =
      ((bytes[offset + 4] as number) << 24) |
      ((bytes[offset + 5] as number) << 16) |
      ((bytes[offset + 6] as number) << 8) |
      (bytes[offset + 7] as number);
    let w2 =
      ((bytes[offset + 8] as number) << 24) |
      ((bytes[offset + 9] as number) << 16) |
      ((bytes[offset + 10] as number) << 8) |
      (bytes[offset + 11] as number);
    let w3 =
      ((bytes[offset + 12] as number) << 24) |
      ((bytes[offset + 13] as number) << 16) |
      ((bytes[offset + 14] as number) << 8) |
      (bytes[offset + 15] as number);
    let w4 =
      ((bytes[offset + 16] as number) << 24) |
      ((bytes[offset + 17] as number) << 16) |
      ((bytes[offset + 18] as number) << 8) |
      (bytes[offset + 19] as number);
    let w5 =
      ((bytes[offset + 20] as number) << 24) |
      ((bytes[offset + 21] as number) << 16) |
      ((bytes[offset + 22] as number) << 8) |
      (bytes[offset + 23] as number);
    let w6 =
      ((bytes[offset + 24] as number) << 24) |
      ((bytes[offset + 25] as number) << 16) |
      ((bytes[offset + 26] as number) << 8) |
      (bytes[offset + 27] as number);
    let w7 =
      ((bytes[offset + 28] as number) << 24) |
      ((bytes[offset + 29] as number) << 16) |
      ((bytes[offset + 30] as number) << 8) |
      (bytes[offset + 31] as number);
    let w8 =
      ((bytes[offset + 32] as number) << 24) |
      ((bytes[offset + 33] as number) << 16) |
      ((bytes[offset + 34] as number) << 8) |
      (bytes[offset + 35] as number);
    let w9 =
      ((bytes[offset + 36] as number) << 24) |
      ((bytes[offset + 37] as number) << 16) |
      ((bytes[offset + 38] as number) << 8) |
      (bytes[offset + 39] as number);
    let w10 =
      ((bytes[offset + 40] as number) << 24) |
      ((bytes[offset + 41] as number) << 16) |
      ((bytes[offset + 42] as number) << 8) |
      (bytes[offset + 43] as number);
    let w11 =
      ((bytes[offset + 44] as number) << 24) |
      ((bytes[offset + 45] as number) << 16) |
      ((bytes[offset + 46] as number) << 8) |
      (bytes[offset + 47] as number);
    let w12 =
      ((bytes[offset + 48] as number) << 24) |
      ((bytes[offset + 49] as number) << 16) |
      ((bytes[offset + 50] as number) << 8) |
      (bytes[offset + 51] as number);
    let w13 =
      ((bytes[offset + 52] as number) << 24) |
      ((bytes[offset + 53] as number) << 16) |
      ((bytes[offset + 54] as number) << 8) |
      (bytes[offset + 55] as number);
    let w14 =
      ((bytes[offset + 56] as number) << 24) |
      ((bytes[offset + 57] as number) << 16) |
      ((bytes[offset + 58] as number) << 8) |
      (bytes[offset + 59] as number);
    let w15 =
      ((bytes[offset + 60] as number) << 24) |
      ((bytes[offset + 61] as number) << 16) |
      ((bytes[offset + 62] as number) << 8) |
      (bytes[offset + 63] as number);
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let x: number;
    // FIPS 180-4 §6.1.2's 80 rounds written out: the five registers are renamed instead of moved, and
    // the schedule lives in a rolling window of 16 words.
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w0) | 0;
    b = (b << 30) | (b >>> 2);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + 0x5a827999 + w1) | 0;
    a = (a << 30) | (a >>> 2);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + 0x5a827999 + w2) | 0;
    e = (e << 30) | (e >>> 2);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + 0x5a827999 + w3) | 0;
    d = (d << 30) | (d >>> 2);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + 0x5a827999 + w4) | 0;
    c = (c << 30) | (c >>> 2);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w5) | 0;
    b = (b << 30) | (b >>> 2);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + 0x5a827999 + w6) | 0;
    a = (a << 30) | (a >>> 2);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + 0x5a827999 + w7) | 0;
    e = (e << 30) | (e >>> 2);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + 0x5a827999 + w8) | 0;
    d = (d << 30) | (d >>> 2);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + 0x5a827999 + w9) | 0;
    c = (c << 30) | (c >>> 2);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w10) | 0;
    b = (b << 30) | (b >>> 2);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + 0x5a827999 + w11) | 0;
    a = (a << 30) | (a >>> 2);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + 0x5a827999 + w12) | 0;
    e = (e << 30) | (e >>> 2);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + 0x5a827999 + w13) | 0;
    d = (d << 30) | (d >>> 2);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + 0x5a827999 + w14) | 0;
    c = (c << 30) | (c >>> 2);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w15) | 0;
    b = (b << 30) | (b >>> 2);
    x = w13 ^ w8 ^ w2 ^ w0;
    w0 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + 0x5a827999 + w0) | 0;
    a = (a << 30) | (a >>> 2);
    x = w14 ^ w9 ^ w3 ^ w1;
    w1 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + 0x5a827999 + w1) | 0;
    e = (e << 30) | (e >>> 2);
    x = w15 ^ w10 ^ w4 ^ w2;
    w2 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + 0x5a827999 + w2) | 0;
    d = (d << 30) | (d >>> 2);
    x = w0 ^ w11 ^ w5 ^ w3;
    w3 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + 0x5a827999 + w3) | 0;
    c = (c << 30) | (c >>> 2);
    x = w1 ^ w12 ^ w6 ^ w4;
    w4 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w4) | 0;
    b = (b << 30) | (b >>> 2);
    x = w2 ^ w13 ^ w7 ^ w5;
    w5 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + 0x6ed9eba1 + w5) | 0;
    a = (a << 30) | (a >>> 2);
    x = w3 ^ w14 ^ w8 ^ w6;
    w6 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + 0x6ed9eba1 + w6) | 0;
    e = (e << 30) | (e >>> 2);
    x = w4 ^ w15 ^ w9 ^ w7;
    w7 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + 0x6ed9eba1 + w7) | 0;
    d = (d << 30) | (d >>> 2);
    x = w5 ^ w0 ^ w10 ^ w8;
    w8 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + 0x6ed9eba1 + w8) | 0;
    c = (c << 30) | (c >>> 2);
    x = w6 ^ w1 ^ w11 ^ w9;
    w9 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w9) | 0;
    b = (b << 30) | (b >>> 2);
    x = w7 ^ w2 ^ w12 ^ w10;
    w10 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + 0x6ed9eba1 + w10) | 0;
    a = (a << 30) | (a >>> 2);
    x = w8 ^ w3 ^ w13 ^ w11;
    w11 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + 0x6ed9eba1 + w11) | 0;
    e = (e << 30) | (e >>> 2);
    x = w9 ^ w4 ^ w14 ^ w12;
    w12 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + 0x6ed9eba1 + w12) | 0;
    d = (d << 30) | (d >>> 2);
    x = w10 ^ w5 ^ w15 ^ w13;
    w13 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + 0x6ed9eba1 + w13) | 0;
    c = (c << 30) | (c >>> 2);
    x = w11 ^ w6 ^ w0 ^ w14;
    w14 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w14) | 0;
    b = (b << 30) | (b >>> 2);
    x = w12 ^ w7 ^ w1 ^ w15;
    w15 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + 0x6ed9eba1 + w15) | 0;
    a = (a << 30) | (a >>> 2);
    x = w13 ^ w8 ^ w2 ^ w0;
    w0 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + 0x6ed9eba1 + w0) | 0;
    e = (e << 30) | (e >>> 2);
    x = w14 ^ w9 ^ w3 ^ w1;
    w1 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + 0x6ed9eba1 + w1) | 0;
    d = (d << 30) | (d >>> 2);
    x = w15 ^ w10 ^ w4 ^ w2;
    w2 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + 0x6ed9eba1 + w2) | 0;
    c = (c << 30) | (c >>> 2);
    x = w0 ^ w11 ^ w5 ^ w3;
    w3 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w3) | 0;
    b = (b << 30) | (b >>> 2);
    x = w1 ^ w12 ^ w6 ^ w4;
    w4 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + 0x6ed9eba1 + w4) | 0;
    a = (a << 30) | (a >>> 2);
    x = w2 ^ w13 ^ w7 ^ w5;
    w5 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + 0x6ed9eba1 + w5) | 0;
    e = (e << 30) | (e >>> 2);
    x = w3 ^ w14 ^ w8 ^ w6;
    w6 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + 0x6ed9eba1 + w6) | 0;
    d = (d << 30) | (d >>> 2);
    x = w4 ^ w15 ^ w9 ^ w7;
    w7 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + 0x6ed9eba1 + w7) | 0;
    c = (c << 30) | (c >>> 2);
    x = w5 ^ w0 ^ w10 ^ w8;
    w8 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w8) | 0;
    b = (b << 30) | (b >>> 2);
    x = w6 ^ w1 ^ w11 ^ w9;
    w9 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d - 0x70e44324 + w9) | 0;
    a = (a << 30) | (a >>> 2);
    x = w7 ^ w2 ^ w12 ^ w10;
    w10 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c - 0x70e44324 + w10) | 0;
    e = (e << 30) | (e >>> 2);
    x = w8 ^ w3 ^ w13 ^ w11;
    w11 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b - 0x70e44324 + w11) | 0;
    d = (d << 30) | (d >>> 2);
    x = w9 ^ w4 ^ w14 ^ w12;
    w12 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a - 0x70e44324 + w12) | 0;
    c = (c << 30) | (c >>> 2);
    x = w10 ^ w5 ^ w15 ^ w13;
    w13 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w13) | 0;
    b = (b << 30) | (b >>> 2);
    x = w11 ^ w6 ^ w0 ^ w14;
    w14 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d - 0x70e44324 + w14) | 0;
    a = (a << 30) | (a >>> 2);
    x = w12 ^ w7 ^ w1 ^ w15;
    w15 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c - 0x70e44324 + w15) | 0;
    e = (e << 30) | (e >>> 2);
    x = w13 ^ w8 ^ w2 ^ w0;
    w0 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b - 0x70e44324 + w0) | 0;
    d = (d << 30) | (d >>> 2);
    x = w14 ^ w9 ^ w3 ^ w1;
    w1 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a - 0x70e44324 + w1) | 0;
    c = (c << 30) | (c >>> 2);
    x = w15 ^ w10 ^ w4 ^ w2;
    w2 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w2) | 0;
    b = (b << 30) | (b >>> 2);
    x = w0 ^ w11 ^ w5 ^ w3;
    w3 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d - 0x70e44324 + w3) | 0;
    a = (a << 30) | (a >>> 2);
    x = w1 ^ w12 ^ w6 ^ w4;
    w4 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c - 0x70e44324 + w4) | 0;
    e = (e << 30) | (e >>> 2);
    x = w2 ^ w13 ^ w7 ^ w5;
    w5 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b - 0x70e44324 + w5) | 0;
    d = (d << 30) | (d >>> 2);
    x = w3 ^ w14 ^ w8 ^ w6;
    w6 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a - 0x70e44324 + w6) | 0;
    c = (c << 30) | (c >>> 2);
    x = w4 ^ w15 ^ w9 ^ w7;
    w7 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w7) | 0;
    b = (b << 30) | (b >>> 2);
    x = w5 ^ w0 ^ w10 ^ w8;
    w8 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d - 0x70e44324 + w8) | 0;
    a = (a << 30) | (a >>> 2);
    x = w6 ^ w1 ^ w11 ^ w9;
    w9 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c - 0x70e44324 + w9) | 0;
    e = (e << 30) | (e >>> 2);
    x = w7 ^ w2 ^ w12 ^ w10;
    w10 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b - 0x70e44324 + w10) | 0;
    d = (d << 30) | (d >>> 2);
    x = w8 ^ w3 ^ w13 ^ w11;
    w11 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a - 0x70e44324 + w11) | 0;
    c = (c << 30) | (c >>> 2);
    x = w9 ^ w4 ^ w14 ^ w12;
    w12 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w12) | 0;
    b = (b << 30) | (b >>> 2);
    x = w10 ^ w5 ^ w15 ^ w13;
    w13 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d - 0x359d3e2a + w13) | 0;
    a = (a << 30) | (a >>> 2);
    x = w11 ^ w6 ^ w0 ^ w14;
    w14 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c - 0x359d3e2a + w14) | 0;
    e = (e << 30) | (e >>> 2);
    x = w12 ^ w7 ^ w1 ^ w15;
    w15 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b - 0x359d3e2a + w15) | 0;
    d = (d << 30) | (d >>> 2);
    x = w13 ^ w8 ^ w2 ^ w0;
    w0 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a - 0x359d3e2a + w0) | 0;
    c = (c << 30) | (c >>> 2);
    x = w14 ^ w9 ^ w3 ^ w1;
    w1 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w1) | 0;
    b = (b << 30) | (b >>> 2);
    x = w15 ^ w10 ^ w4 ^ w2;
    w2 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d - 0x359d3e2a + w2) | 0;
    a = (a << 30) | (a >>> 2);
    x = w0 ^ w11 ^ w5 ^ w3;
    w3 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c - 0x359d3e2a + w3) | 0;
    e = (e << 30) | (e >>> 2);
    x = w1 ^ w12 ^ w6 ^ w4;
    w4 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b - 0x359d3e2a + w4) | 0;
    d = (d << 30) | (d >>> 2);
    x = w2 ^ w13 ^ w7 ^ w5;
    w5 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a - 0x359d3e2a + w5) | 0;
    c = (c << 30) | (c >>> 2);
    x = w3 ^ w14 ^ w8 ^ w6;
    w6 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w6) | 0;
    b = (b << 30) | (b >>> 2);
    x = w4 ^ w15 ^ w9 ^ w7;
    w7 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d - 0x359d3e2a + w7) | 0;
    a = (a << 30) | (a >>> 2);
    x = w5 ^ w0 ^ w10 ^ w8;
    w8 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c - 0x359d3e2a + w8) | 0;
    e = (e << 30) | (e >>> 2);
    x = w6 ^ w1 ^ w11 ^ w9;
    w9 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b - 0x359d3e2a + w9) | 0;
    d = (d << 30) | (d >>> 2);
    x = w7 ^ w2 ^ w12 ^ w10;
    w10 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a - 0x359d3e2a + w10) | 0;
    c = (c << 30) | (c >>> 2);
    x = w8 ^ w3 ^ w13 ^ w11;
    w11 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w11) | 0;
    b = (b << 30) | (b >>> 2);
    x = w9 ^ w4 ^ w14 ^ w12;
    w12 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d - 0x359d3e2a + w12) | 0;
    a = (a << 30) | (a >>> 2);
    x = w10 ^ w5 ^ w15 ^ w13;
    w13 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c - 0x359d3e2a + w13) | 0;
    e = (e << 30) | (e >>> 2);
    x = w11 ^ w6 ^ w0 ^ w14;
    w14 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b - 0x359d3e2a + w14) | 0;
    d = (d << 30) | (d >>> 2);
    x = w12 ^ w7 ^ w1 ^ w15;
    w15 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a - 0x359d3e2a + w15) | 0;
    c = (c << 30) | (c >>> 2);
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return h0 >>> 0;
}

/** Copies the message into the block buffer with SHA-1's padding (big-endian bit length); returns the blocks. */
function padBigEndian(message: Uint8Array, length: number): number {
  const blocks = Math.ceil((length + 9) / 64);
  if (block.length < blocks * 64) block = new Uint8Array(blocks * 64);
  const bytes = block;
  for (let i = 0; i < length; i++) bytes[i] = message[i] as number;
  bytes[length] = 0x80;
  const end = blocks * 64;
  for (let i = length + 1; i < end - 4; i++) bytes[i] = 0;
  const bits = length * 8;
  bytes[end - 4] = bits >>> 24;
  bytes[end - 3] = bits >>> 16;
  bytes[end - 2] = bits >>> 8;
  bytes[end - 1] = bits;
  return blocks;
}

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Words } from '../../../src/cluster/rings/md5.ts';
import { PointNames } from '../../../src/cluster/rings/point-names.ts';
import { sha1FirstWord } from '../../../src/cluster/rings/sha1.ts';

const bytesOfEveryLength = Array.from({ length: 200 }, (_, length) =>
  Uint8Array.from({ length }, (_, i) => (i * 37 + length * 11) & 0xff),
);

describe('point hashes', () => {
  it('sha1FirstWord is the first big-endian word of node:crypto SHA-1, for one, two and three blocks', () => {
    for (const bytes of bytesOfEveryLength) {
      const digest = createHash('sha1').update(bytes).digest();
      expect(sha1FirstWord(bytes, bytes.length)).toBe(digest.readUInt32BE(0));
    }
  });

  it('md5Words are the four little-endian words of node:crypto MD5, for one, two and three blocks', () => {
    const out = new Uint32Array(5);
    for (const bytes of bytesOfEveryLength) {
      const digest = createHash('md5').update(bytes).digest();
      md5Words(bytes, bytes.length, out, 1);
      expect([...out.subarray(1)]).toEqual([0, 4, 8, 12].map((at) => digest.readUInt32LE(at)));
    }
  });

  it('hashes only the first `length` bytes of the buffer it is given', () => {
    const bytes = Buffer.from('127.0.0.1:11211:7 and more');
    expect(sha1FirstWord(bytes, 17)).toBe(createHash('sha1').update('127.0.0.1:11211:7').digest().readUInt32BE(0));
  });

  it('PointNames writes the UTF-8 bytes of prefix + String(i)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.nat(), (prefix, i) => {
        const names = new PointNames(prefix);
        const length = names.write(i);
        expect(Buffer.from(names.bytes.subarray(0, length)).toString('utf8')).toBe(`${prefix}${i}`);
      }),
    );
  });
});

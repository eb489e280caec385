import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyBuilder, md5KeyDigest } from '../../src/keys/key-builder.ts';
import { escapeKey } from '../../src/keys/key-escape.ts';

describe('escapeKey', () => {
  it('leaves plain keys alone', () => {
    for (const key of ['user:42', 'ключ', '😀', "it's"]) expect(escapeKey(key)).toBe(key);
  });

  it('percent-encodes whitespace, controls and the percent sign', () => {
    expect(escapeKey('a b')).toBe('a%20b');
    expect(escapeKey('a ')).toBe('a%20');
    expect(escapeKey('100%')).toBe('100%25');
    expect(escapeKey('tab\there')).toBe('tab%09here');
    expect(escapeKey('nbsp\u00a0')).toBe('nbsp%C2%A0');
    expect(escapeKey('')).toBe('');
  });

  it('encodes a lone surrogate distinctly, and keeps surrogate pairs', () => {
    expect(escapeKey('a\ud83d')).toBe('a%uD83D');
    expect(escapeKey('\ude00')).toBe('%uDE00');
  });

  it('keeps distinct strings distinct, and always yields a valid key (property)', () => {
    const builder = new KeyBuilder(undefined, md5KeyDigest);
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        (a, b) => {
          if (a !== b) expect(escapeKey(a)).not.toBe(escapeKey(b));
          expect(() => builder.wireKey(escapeKey(a), 'get')).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
  });
});

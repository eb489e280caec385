import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidKeyError } from '../../src/errors.ts';
import { KeyBuilder, md5KeyDigest, utf8Prefix } from '../../src/keys/key-builder.ts';

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
const plain = new KeyBuilder(undefined, md5KeyDigest);
const spaced = new KeyBuilder('app', md5KeyDigest);
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('KeyBuilder', () => {
  it('sends short keys as they are, and prefixes the namespace with ":"', () => {
    expect(plain.wireKey('user:42', 'get')).toBe('user:42');
    expect(spaced.wireKey('user:42', 'get')).toBe('app:user:42');
    expect(plain.wireKey('ключ', 'get')).toBe('ключ');
  });

  it('keeps a 250-byte key and shortens a 251-byte one to 212 bytes + ":md5:" + digest (Dalli)', () => {
    expect(plain.wireKey('k'.repeat(250), 'get')).toBe('k'.repeat(250));
    const long = 'k'.repeat(251);
    expect(plain.wireKey(long, 'get')).toBe(`${'k'.repeat(212)}:md5:${md5(long)}`);
    expect(plain.wireKey(long, 'get')).toHaveLength(249);
  });

  it('shortens a namespaced key to 213 bytes of the namespaced key, digesting the whole of it (Dalli)', () => {
    const key = 'x'.repeat(300);
    const wire = `app:${key}`;
    expect(spaced.wireKey(key, 'get')).toBe(`${wire.slice(0, 213)}:md5:${md5(wire)}`);
    expect(spaced.wireKey(key, 'get')).toHaveLength(250);
  });

  it('measures in UTF-8 bytes: 126 two-byte characters (252 bytes) are shortened, cut on a character boundary', () => {
    const key = 'я'.repeat(126);
    const wire = plain.wireKey(key, 'get');
    expect(wire).toBe(`${'я'.repeat(106)}:md5:${md5(key)}`);
    expect(bytes(wire)).toBeLessThanOrEqual(250);
  });

  it('never cuts inside a four-byte character', () => {
    const key = `a${'😀'.repeat(70)}`;
    const wire = plain.wireKey(key, 'get');
    expect(wire.startsWith(`a${'😀'.repeat(52)}:md5:`)).toBe(true);
    expect(bytes(wire)).toBeLessThanOrEqual(249);
  });

  it('uses a custom digest (Dalli digest_class) and sizes the prefix to it', () => {
    const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
    const builder = new KeyBuilder(undefined, sha256);
    const long = 'k'.repeat(300);
    expect(builder.wireKey(long, 'get')).toBe(`${'k'.repeat(249 - 5 - 64)}:md5:${sha256(long)}`);
  });

  it('refuses a digest that does not return hex text', () => {
    const builder = new KeyBuilder(undefined, () => 'not hex!');
    expect(() => builder.wireKey('k'.repeat(300), 'get')).toThrow(InvalidArgumentError);
  });

  it.each([
    ['an empty key', ''],
    ['a space', 'a b'],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['a NUL', 'a\0b'],
    ['DEL', 'a\x7fb'],
    ['a C1 control', 'a\u0085b'],
    ['a no-break space', 'a\u00a0b'],
    ['an ideographic space', 'a\u3000b'],
    ['a lone high surrogate', 'a\ud83db'],
    ['a lone low surrogate', 'a\ude00b'],
  ])('refuses %s', (_, key) => {
    expect(() => plain.wireKey(key, 'get')).toThrow(InvalidKeyError);
  });

  it('refuses non-strings with the type in the message and the ERR_DALLI_INVALID_KEY code', () => {
    for (const key of [undefined, null, 42, {}]) {
      expect(() => plain.wireKey(key, 'get')).toThrow(expect.objectContaining({ code: 'ERR_DALLI_INVALID_KEY' }));
    }
    expect(() => plain.wireKey(null, 'get')).toThrow(/got null/);
  });

  it('refuses a namespace with whitespace, or an empty one', () => {
    expect(() => new KeyBuilder('my app', md5KeyDigest)).toThrow(InvalidArgumentError);
    expect(() => new KeyBuilder('', md5KeyDigest)).toThrow(InvalidArgumentError);
  });

  it('never produces a wire key over 250 bytes, whatever the key and namespace (property)', () => {
    const keyText = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 400 })
      .filter((text) => !/[\s\p{C}]/u.test(text));
    fc.assert(
      fc.property(fc.option(fc.stringMatching(/^[a-z]{1,60}$/), { nil: undefined }), keyText, (namespace, key) => {
        const wire = new KeyBuilder(namespace, md5KeyDigest).wireKey(key, 'get');
        expect(bytes(wire)).toBeLessThanOrEqual(250);
        expect(Buffer.from(wire, 'utf8').toString('utf8')).toBe(wire);
      }),
      { numRuns: 500 },
    );
  });
});

describe('utf8Prefix', () => {
  it('returns the longest prefix that fits without splitting a character', () => {
    expect(utf8Prefix('abc', 10)).toBe('abc');
    expect(utf8Prefix('aяb', 2)).toBe('a');
    expect(utf8Prefix('aяb', 3)).toBe('aя');
    expect(utf8Prefix('😀😀', 5)).toBe('😀');
    expect(utf8Prefix('😀', 3)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../../src/errors.ts';
import { validateKey } from '../../src/keys.ts';

describe('validateKey', () => {
  it('accepts printable ASCII and multibyte keys up to 250 bytes', () => {
    expect(validateKey('user:42', 'get')).toBe('user:42');
    expect(validateKey('ключ', 'get')).toBe('ключ');
    expect(validateKey('k'.repeat(250), 'get')).toHaveLength(250);
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
  ])('refuses %s', (_, key) => {
    expect(() => validateKey(key, 'get')).toThrow(InvalidKeyError);
  });

  it('measures length in UTF-8 bytes: 126 two-byte characters are too long', () => {
    expect(() => validateKey('я'.repeat(126), 'set')).toThrow(/252 bytes long/);
    expect(validateKey('я'.repeat(125), 'set')).toHaveLength(125);
  });

  it('refuses non-strings with the type in the message and the ERR_DALLI_INVALID_KEY code', () => {
    for (const key of [undefined, null, 42, {}]) {
      expect(() => validateKey(key, 'get')).toThrow(expect.objectContaining({ code: 'ERR_DALLI_INVALID_KEY' }));
    }
    expect(() => validateKey(null, 'get')).toThrow(/got null/);
  });
});

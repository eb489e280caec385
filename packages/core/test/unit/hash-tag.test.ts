import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { hashTagOf } from '../../src/keys/hash-tag.ts';
import { resolveClientOptions } from '../../src/options/resolve-client-options.ts';

describe('hashTagOf', () => {
  it.each([
    ['{user:42}:profile', 'user:42'],
    ['cart:{user:42}', 'user:42'],
    ['a{b}c{d}e', 'b'],
    ['{{x}}', '{x'],
    ['close}first{x}', 'x'],
    ['{ключ}:日本語', 'ключ'],
    ['😀{é😀}:1', 'é😀'],
  ])('places %s by its first tag, %s', (key, tag) => {
    expect(hashTagOf(key, '{}')).toBe(tag);
  });

  it.each([
    ['no tag', 'user:42'],
    ['an empty tag, even before a real one', '{}{user:42}'],
    ['an opening delimiter never closed', 'open{only'],
    ['a closing delimiter only', 'close}only'],
  ])('places a key with %s by the whole key', (_, key) => {
    expect(hashTagOf(key, '{}')).toBe(key);
  });

  it('takes any two delimiters, the same one twice included', () => {
    expect(hashTagOf('a<b>c', '<>')).toBe('b');
    expect(hashTagOf('a$b$c', '$$')).toBe('b');
    expect(hashTagOf('a$$c', '$$')).toBe('a$$c');
  });

  it('finds the tag wherever it sits, around any text without delimiters', () => {
    const free = fc.string({ unit: 'grapheme' }).filter((text) => !text.includes('{') && !text.includes('}'));
    const tag = free.filter((text) => text.length > 0);
    fc.assert(
      fc.property(free, tag, fc.string(), (before, inside, after) => {
        expect(hashTagOf(`${before}{${inside}}${after}`, '{}')).toBe(inside);
        expect(hashTagOf(`${before}${inside}`, '{}')).toBe(`${before}${inside}`);
      }),
    );
  });
});

describe('option hashTag', () => {
  it('is off by default', () => {
    expect(resolveClientOptions().hashTag).toBeUndefined();
  });

  it('takes two printable ASCII delimiters', () => {
    expect(resolveClientOptions({ hashTag: '{}' }).hashTag).toBe('{}');
  });

  it.each([['{'], ['{}}'], ['{ '], ['é}'], [''], [42], [true]])('refuses %j with an InvalidArgumentError', (value) => {
    expect(() => resolveClientOptions({ hashTag: value as string })).toThrow(InvalidArgumentError);
    expect(() => resolveClientOptions({ hashTag: value as string })).toThrow(/option "hashTag" must be two printable/);
  });
});

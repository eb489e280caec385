import { describe, expect, it } from 'vitest';
import { globPattern, parseMetadumpLine } from '../../src/metadump-line.ts';

describe('lru_crawler metadump lines', () => {
  it('parses a line, URL-decoding the key; exp=-1 means never expires', () => {
    expect(parseMetadumpLine('key=%C3%A9t%C3%A9%20x exp=-1 la=1796103316 cas=1 fetch=yes cls=1 size=75')).toEqual({
      key: 'été x',
      expiresAt: undefined,
      lastAccess: 1796103316,
      size: 75,
      slabClass: 1,
    });
    expect(parseMetadumpLine('key=a exp=1796103585 la=1 cas=3 fetch=no cls=2 size=65')?.expiresAt).toBe(1796103585);
  });

  it('keeps a key that is not UTF-8 URL-encoded, and rejects lines of another shape', () => {
    expect(parseMetadumpLine('key=%FF exp=-1 la=1 cas=1 fetch=no cls=1 size=60')?.key).toBe('%FF');
    expect(parseMetadumpLine('BUSY currently processing crawler request')).toBeUndefined();
    expect(parseMetadumpLine('ERROR')).toBeUndefined();
  });

  it('matches shell patterns: * any run, ? one character, everything else literally', () => {
    expect(globPattern('session:*').test('session:42')).toBe(true);
    expect(globPattern('session:*').test('xsession:42')).toBe(false);
    expect(globPattern('a?c').test('abc')).toBe(true);
    expect(globPattern('a.c').test('abc')).toBe(false);
    expect(globPattern('(x)+').test('(x)+')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { compareTokens, isToken, newToken } from '../../../src/recipes/namespace/generation-token.ts';

const NOW = 1_800_000_000_000;

describe('generation tokens', () => {
  it('are ordered by the time they were made', () => {
    const older = newToken(undefined, NOW);
    const newer = newToken(undefined, NOW + 1);
    expect(compareTokens(older, newer)).toBe(-1);
    expect(compareTokens(newer, older)).toBe(1);
    expect(compareTokens(older, older)).toBe(0);
  });

  it('order by time, not by text length or spelling (a later time with fewer base36 digits still wins)', () => {
    expect(compareTokens('10.aaaa', 'z.zzzz')).toBe(1);
  });

  it('made in the same millisecond are distinct and still strictly ordered', () => {
    const a = newToken(undefined, NOW);
    const b = newToken(undefined, NOW);
    expect(a).not.toBe(b);
    expect(compareTokens(a, b)).toBe(-compareTokens(b, a));
    expect(compareTokens(a, b)).not.toBe(0);
  });

  it('a new token ranks above the one it follows even when this clock is behind the one that made it', () => {
    const ahead = newToken(undefined, NOW + 60_000);
    const next = newToken(ahead, NOW);
    expect(compareTokens(next, ahead)).toBe(1);
  });

  it('a legacy token (random, no dot) ranks below every ordered one, and two legacy ones rank alike', () => {
    expect(compareTokens('Ab3_-xYz', newToken(undefined, 0))).toBe(-1);
    expect(compareTokens(newToken(undefined, 0), 'Ab3_-xYz')).toBe(1);
    expect(compareTokens('Ab3_-xYz', 'ZZZZZZZZ')).toBe(0);
    expect(compareTokens(newToken('Ab3_-xYz', NOW), 'Ab3_-xYz')).toBe(1);
  });

  it('recognises tokens, and nothing that could not sit inside a key', () => {
    expect(isToken(newToken())).toBe(true);
    expect(isToken('Ab3_-xYz')).toBe(true);
    expect(isToken('has space')).toBe(false);
    expect(isToken('a:b')).toBe(false);
    expect(isToken('')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { bar, movedShare } from '../../src/ring-spread.ts';

describe('ring spread helpers', () => {
  it('counts the share of sample keys whose owner changed', () => {
    expect(movedShare(['a', 'b', 'a', 'b'], ['a', 'c', 'a', 'b'])).toBe(0.25);
    expect(movedShare(['a', 'b'], ['a', 'b'])).toBe(0);
  });

  it('draws bars in eighths of a cell', () => {
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██');
    expect(bar(1 / 32, 4)).toBe('▏');
    expect(bar(0.3, 10)).toBe('███');
    expect(bar(0, 10)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { WriteWindow } from '../../../src/transport/write-window.ts';

describe('WriteWindow', () => {
  it('lets a request through alone whatever its size, and nothing after it until it is answered', () => {
    const window = new WriteWindow(1000);
    expect(window.fits(50_000)).toBe(true);
    window.add(50_000);
    expect(window.fits(1)).toBe(false);
    window.answered();
    expect(window.fits(900)).toBe(true);
  });

  it('admits requests while they and a barrier fit, and frees room oldest first', () => {
    const window = new WriteWindow(1000);
    window.add(400);
    window.add(500);
    expect(window.fits(60)).toBe(true);
    expect(window.fits(100)).toBe(false);
    window.answered();
    expect(window.fits(400)).toBe(true);
  });
});

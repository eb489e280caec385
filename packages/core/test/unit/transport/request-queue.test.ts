import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestQueue } from '../../../src/transport/request-queue.ts';

describe('RequestQueue', () => {
  it('returns items first in, first out across growth and wrap-around', () => {
    const queue = new RequestQueue<number>();
    for (let i = 0; i < 10; i++) queue.push(i);
    for (let i = 0; i < 7; i++) expect(queue.shift()).toBe(i);
    for (let i = 10; i < 50; i++) queue.push(i);
    expect(queue.size).toBe(43);
    expect(queue.peek()).toBe(7);
    expect(queue.drain()).toEqual(Array.from({ length: 43 }, (_, i) => i + 7));
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('behaves like an array used as a queue under any sequence of pushes and shifts (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(), fc.constant(-1)), { maxLength: 500 }), (ops) => {
        const queue = new RequestQueue<number>();
        const model: number[] = [];
        for (const op of ops) {
          if (op === -1) expect(queue.shift()).toBe(model.shift());
          else {
            queue.push(op);
            model.push(op);
          }
          expect(queue.size).toBe(model.length);
        }
        const seen: number[] = [];
        queue.forEach((item) => {
          seen.push(item);
        });
        expect(seen).toEqual(model);
      }),
    );
  });
});

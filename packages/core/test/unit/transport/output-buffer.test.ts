import { describe, expect, it } from 'vitest';
import { binaryProtocol } from '../../../src/protocol/binary/index.ts';
import { type Command, Op } from '../../../src/protocol/command.ts';
import { OutputBuffer } from '../../../src/transport/output-buffer.ts';

/** One command encoded alone, to compare with what the buffer holds. */
function encoded(command: Command, opaque: number): Buffer {
  const out = Buffer.alloc(binaryProtocol.encodeBound(command));
  return out.subarray(0, binaryProtocol.encode(command, opaque, out, 0));
}

describe('OutputBuffer', () => {
  it('hands out everything appended since the last take as one contiguous buffer', () => {
    const out = new OutputBuffer(binaryProtocol);
    out.append({ op: Op.get, key: 'a' }, 1);
    out.append({ op: Op.get, key: 'b' }, 2);
    expect(out.take()).toEqual(
      Buffer.concat([encoded({ op: Op.get, key: 'a' }, 1), encoded({ op: Op.get, key: 'b' }, 2)]),
    );
    expect(out.take()).toBeUndefined();
  });

  it('never rewrites bytes it has handed out, even when a new slab is needed', () => {
    const out = new OutputBuffer(binaryProtocol);
    out.append({ op: Op.get, key: 'first' }, 1);
    const taken = out.take() as Buffer;
    const copy = Buffer.from(taken);
    for (let i = 0; i < 100; i++) {
      out.append({ op: Op.set, key: `k${i}`, value: Buffer.alloc(5000, i) }, i);
    }
    expect(taken.equals(copy)).toBe(true);
  });

  it('keeps one batch in one buffer when it outgrows the slab', () => {
    const out = new OutputBuffer(binaryProtocol);
    const requests = Array.from({ length: 40 }, (_, i) => ({
      op: Op.set,
      key: `k${i}`,
      value: Buffer.alloc(3000, i),
    }));
    for (const [i, request] of requests.entries()) out.append(request, i);
    const expected = Buffer.concat(requests.map((request, i) => encoded(request, i)));
    // Buffer#equals: a byte compare, not vitest's element-by-element diff of 120 kB.
    expect(out.take()?.equals(expected)).toBe(true);
  });

  it('takes a value larger than a slab', () => {
    const out = new OutputBuffer(binaryProtocol);
    const request = { op: Op.set, key: 'big', value: Buffer.alloc(200_000, 7) };
    out.append(request, 9);
    expect(out.take()?.equals(encoded(request, 9))).toBe(true);
  });
});

describe('OutputBuffer growth', () => {
  it('grows its slab geometrically, so a huge tick costs few reallocations (not one per request)', async () => {
    const { vi } = await import('vitest');
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    const out = new OutputBuffer(binaryProtocol);
    const value = Buffer.alloc(1000, 1);
    for (let i = 0; i < 16_000; i++) out.append({ op: Op.set, key: `k${i}`, value }, i);
    const slabs = allocUnsafe.mock.calls.filter(([size]) => size >= 64 * 1024).length;
    allocUnsafe.mockRestore();
    expect(out.pending).toBeGreaterThan(16_000 * 1000);
    expect(slabs).toBeLessThan(20);
  });
});

describe('OutputBuffer reuse', () => {
  const request = (i: number) => ({ op: Op.set, key: `k${i}`, value: Buffer.alloc(3000, i) });

  it('encodes into the same memory again once every view taken is written', () => {
    const out = new OutputBuffer(binaryProtocol);
    out.append(request(1), 1);
    const first = out.take() as Buffer;
    out.written();
    out.append(request(2), 2);
    const second = out.take() as Buffer;
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset);
    expect(second.equals(encoded(request(2), 2))).toBe(true);
  });

  it('never reuses memory the socket still holds', () => {
    const out = new OutputBuffer(binaryProtocol);
    const held: Array<{ view: Buffer; copy: Buffer }> = [];
    // Two writes in flight at a time, many slabs' worth of traffic: no held view may change.
    for (let i = 0; i < 200; i++) {
      for (let j = 0; j < 10; j++) out.append(request(i * 10 + j), j);
      const view = out.take() as Buffer;
      held.push({ view, copy: Buffer.from(view) });
      if (held.length > 2) {
        const done = held.shift();
        expect(done?.view.equals(done.copy)).toBe(true);
        out.written();
      }
      for (const { view, copy } of held) expect(view.equals(copy)).toBe(true);
    }
  });

  it('drops a slab grown by one huge batch once it is written', () => {
    const out = new OutputBuffer(binaryProtocol);
    out.append({ op: Op.set, key: 'huge', value: Buffer.alloc(5 * 1024 * 1024) }, 1);
    const huge = out.take() as Buffer;
    out.written();
    out.append(request(1), 2);
    const next = out.take() as Buffer;
    expect(next.buffer).not.toBe(huge.buffer);
    expect(next.buffer.byteLength).toBeLessThan(1024 * 1024);
  });
});

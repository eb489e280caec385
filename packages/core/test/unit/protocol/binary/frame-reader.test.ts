import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BinaryReply,
  FrameReader,
  type ResponseFrame,
  responseCas,
  responseCounter,
  responseExtras,
  responseFlags,
  responseKey,
  responseText,
  responseValue,
} from '../../../../src/protocol/binary/index.ts';
import { FrameError } from '../../../../src/protocol/frame-error.ts';
import { hex } from '../hex.ts';
import { type FrameSpec, responseBytes } from './frames.ts';

const fail = (): never => {
  throw new Error('unexpected oversized frame');
};

/** What a test compares: every field of a frame, copied out of the reader's buffers. */
function snapshot(frame: ResponseFrame): FrameSpec {
  return {
    opcode: frame.opcode,
    status: frame.statusCode,
    opaque: frame.opaque,
    cas: responseCas(frame),
    extras: Buffer.from(responseExtras(frame)),
    key: Buffer.from(responseKey(frame)),
    value: Buffer.from(responseValue(frame)),
  };
}

function readAll(chunks: readonly Buffer[], maxBodyLength = 1 << 20): FrameSpec[] {
  const frames: FrameSpec[] = [];
  const reader = new FrameReader(maxBodyLength, {
    onReply: (frame) => frames.push(snapshot(frame as BinaryReply)),
    onOversized: fail,
  });
  for (const chunk of chunks) reader.push(chunk);
  expect(reader.midReply).toBe(false);
  return frames;
}

// The GET reply of the protocol document: flags 0xdeadbeef, value "World", CAS 1.
const getReply = hex(`81 00 00 00 04 00 00 00 00 00 00 09 00 00 00 00 00 00 00 00 00 00 00 01
                      de ad be ef 57 6f 72 6c 64`);
const getkReply = responseBytes({
  opcode: 0x0c,
  status: 0,
  opaque: 0xfeedface,
  cas: 0x0102030405060708n,
  extras: hex('00 00 00 02'),
  key: Buffer.from('ключ'),
  value: Buffer.from('{"a":1}'),
});
const notFound = responseBytes({
  opcode: 0x00,
  status: 1,
  opaque: 2,
  cas: 0n,
  extras: Buffer.alloc(0),
  key: Buffer.alloc(0),
  value: Buffer.from('Not found'),
});
const noop = responseBytes({
  opcode: 0x0a,
  status: 0,
  opaque: 3,
  cas: 0n,
  extras: Buffer.alloc(0),
  key: Buffer.alloc(0),
  value: Buffer.alloc(0),
});
const stream = Buffer.concat([getReply, getkReply, notFound, noop]);

describe('FrameReader', () => {
  afterEach(() => vi.restoreAllMocks());

  it('decodes the protocol document GET reply field by field', () => {
    const frames: ResponseFrame[] = [];
    new FrameReader(100, { onReply: (frame) => frames.push(frame as BinaryReply), onOversized: fail }).push(getReply);
    const [frame] = frames as [ResponseFrame];
    expect(frame.opcode).toBe(0);
    expect(frame.statusCode).toBe(0);
    expect(responseFlags(frame)).toBe(0xdeadbeef);
    expect(responseText(frame)).toBe('World');
    expect(responseCas(frame)).toBe(1n);
  });

  it('reads a 64-bit counter value big-endian', () => {
    const reply = responseBytes({
      opcode: 0x05,
      status: 0,
      opaque: 1,
      cas: 5n,
      extras: Buffer.alloc(0),
      key: Buffer.alloc(0),
      value: hex('ff ff ff ff ff ff ff fe'),
    });
    const frames: ResponseFrame[] = [];
    new FrameReader(100, { onReply: (frame) => frames.push(frame as BinaryReply), onOversized: fail }).push(reply);
    expect(responseCounter(frames[0] as ResponseFrame)).toBe(0xfffffffffffffffen);
  });

  it('emits every frame of a stream pushed whole', () => {
    const frames = readAll([stream]);
    expect(frames.map((frame) => frame.opaque)).toEqual([0, 0xfeedface, 2, 3]);
    expect(frames[1]?.key.toString()).toBe('ключ');
    expect(frames[1]?.cas).toBe(0x0102030405060708n);
    expect(frames[2]?.status).toBe(1);
  });

  it('emits the same frames when the stream is split at every single byte position', () => {
    const whole = readAll([stream]);
    for (let split = 1; split < stream.length; split++) {
      expect(readAll([stream.subarray(0, split), stream.subarray(split)])).toEqual(whole);
    }
  });

  it('emits the same frames when fed one byte at a time', () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(readAll(bytes)).toEqual(readAll([stream]));
  });

  it('reports a frame cut short as mid-frame', () => {
    const reader = new FrameReader(100, { onReply: () => {}, onOversized: fail });
    reader.push(getReply.subarray(0, 10));
    expect(reader.midReply).toBe(true);
    reader.push(getReply.subarray(10, 30));
    expect(reader.midReply).toBe(true);
    reader.push(getReply.subarray(30));
    expect(reader.midReply).toBe(false);
  });

  it('rejects a bad magic byte', () => {
    const reader = new FrameReader(100, { onReply: () => {}, onOversized: fail });
    expect(() => reader.push(Buffer.concat([Buffer.from([0x80]), getReply.subarray(1)]))).toThrow(FrameError);
  });

  it('rejects an ASCII ERROR line as a bad magic byte', () => {
    const reader = new FrameReader(100, { onReply: () => {}, onOversized: fail });
    expect(() => reader.push(Buffer.from('ERROR\r\n'.repeat(4)))).toThrow(/bad magic byte 0x45/);
  });

  it('rejects a body length of 2^31 from the header alone, allocating nothing of that size', () => {
    const header = Buffer.from(getReply.subarray(0, 24));
    header.writeUInt32BE(2 ** 31, 8);
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    const alloc = vi.spyOn(Buffer, 'alloc');
    const reader = new FrameReader(1 << 20, { onReply: () => {}, onOversized: fail });
    // Split so the header goes through the partial-header path, which is the one that allocates.
    reader.push(header.subarray(0, 5));
    expect(() => reader.push(header.subarray(5))).toThrow(/body length 2147483648 is more than any memcached item/);
    const sizes = [...allocUnsafe.mock.calls, ...alloc.mock.calls].map(([size]) => size);
    expect(sizes.every((size) => size < 1 << 20)).toBe(true);
  });

  it('rejects extras and key longer than the body', () => {
    const bad = Buffer.from(getReply);
    bad.writeUInt16BE(200, 2);
    const reader = new FrameReader(1000, { onReply: () => {}, onOversized: fail });
    expect(() => reader.push(bad)).toThrow(/exceed body length/);
  });

  it('keeps a body exactly at the limit; one byte more is skipped, reported, and the stream stays in step', () => {
    const value = Buffer.alloc(100, 1);
    const frame = responseBytes({
      opcode: 0,
      status: 0,
      opaque: 1,
      cas: 0n,
      extras: Buffer.alloc(0),
      key: Buffer.alloc(0),
      value,
    });
    expect(readAll([frame], 100)).toHaveLength(1);
    const stream = Buffer.concat([frame, noop]);
    for (let split = 0; split <= stream.length; split++) {
      const oversized: { opaque: number; bodyLength: number }[] = [];
      const frames: number[] = [];
      const reader = new FrameReader(99, {
        onReply: (f) => frames.push((f as BinaryReply).opaque),
        onOversized: (f, length) => oversized.push({ opaque: (f as BinaryReply).opaque, bodyLength: length }),
      });
      reader.push(stream.subarray(0, split));
      reader.push(stream.subarray(split));
      expect(oversized).toEqual([{ opaque: 1, bodyLength: 100 }]);
      expect(frames).toEqual([3]);
      expect(reader.midReply).toBe(false);
    }
  });

  it('allocates nothing for a skipped body', () => {
    const header = Buffer.from(getReply.subarray(0, 24));
    header.writeUInt32BE(100_000_000, 8);
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    const reader = new FrameReader(1 << 20, { onReply: () => {}, onOversized: () => {} });
    reader.push(header);
    reader.push(Buffer.alloc(1000));
    expect(reader.midReply).toBe(true);
    expect(allocUnsafe.mock.calls.every(([size]) => size < 1 << 20)).toBe(true);
  });

  it('emits frames inside one chunk as views of it, without copying', () => {
    const frames: ResponseFrame[] = [];
    new FrameReader(100, { onReply: (frame) => frames.push(frame as BinaryReply), onOversized: fail }).push(stream);
    expect(frames.every((frame) => frame.buffer === stream)).toBe(true);
  });

  it('reassembles any sequence of frames split at any points (property)', () => {
    const frameSpec = fc.record({
      opcode: fc.integer({ min: 0, max: 0x24 }),
      status: fc.constantFrom(0, 1, 2, 5, 0x81),
      opaque: fc.nat({ max: 0xffffffff }),
      cas: fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }),
      extras: fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes)),
      key: fc.uint8Array({ maxLength: 250 }).map((bytes) => Buffer.from(bytes)),
      value: fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
    });
    fc.assert(
      fc.property(
        fc.array(frameSpec, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (specs, cuts) => {
          const bytes = Buffer.concat(specs.map(responseBytes));
          const points = [...new Set(cuts.map((cut) => cut % bytes.length))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((start, i) => bytes.subarray(start, points[i] ?? bytes.length));
          expect(readAll(chunks)).toEqual(specs);
        },
      ),
      { numRuns: 300 },
    );
  });
});

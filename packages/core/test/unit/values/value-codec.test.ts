import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ValueDecodeError, ValueTooLargeError } from '../../../src/errors.ts';
import { zlibCompressor } from '../../../src/values/compressor.ts';
import { jsonSerializer, type Serializer } from '../../../src/values/serializer.ts';
import { ValueCodec, type ValueCodecOptions } from '../../../src/values/value-codec.ts';

const base: ValueCodecOptions = {
  serializer: jsonSerializer,
  compressor: zlibCompressor,
  compress: true,
  compressionMinSize: 100,
  valueMaxBytes: 10_000,
  decompressedMaxBytes: 50_000,
};
const codec = new ValueCodec(base);
/** A whole buffer as the (buffer, start, end) span decode reads. */
const span = (bytes: Buffer): [Buffer, number, number] => [bytes, 0, bytes.length];
const context = { server: 's', operation: 'get' };
const roundTrip = (value: unknown, raw = false): unknown => {
  const { bytes, flags } = codec.encode(value, raw, undefined, 'set');
  return codec.decode(...span(Buffer.from(bytes)), flags, false, context);
};

describe('ValueCodec', () => {
  it('serializes values as JSON with flag 0x1 and reads them back', () => {
    const encoded = codec.encode({ a: [1, 'two'] }, false, undefined, 'set');
    expect(Buffer.from(encoded.bytes).toString()).toBe('{"a":[1,"two"]}');
    expect(encoded.flags).toBe(0x1);
    for (const value of [{ a: [1, 'two'] }, 'text', 42, 0, false, null, [1, 2]])
      expect(roundTrip(value)).toEqual(value);
  });

  it('stores raw strings as UTF-8 with flags 0 and reads flags-0 values as strings', () => {
    const encoded = codec.encode('héllo', true, undefined, 'set');
    expect(encoded.flags).toBe(0);
    expect(Buffer.from(encoded.bytes)).toEqual(Buffer.from('héllo'));
    expect(encoded.length).toBe(6); // bytes, not characters
    expect(roundTrip('héllo', true)).toBe('héllo');
  });

  it('stores raw numbers in decimal, as incr and decr expect', () => {
    expect(Buffer.from(codec.encode(42, true, undefined, 'set').bytes).toString()).toBe('42');
    expect(Buffer.from(codec.encode(2n ** 63n, true, undefined, 'set').bytes).toString()).toBe('9223372036854775808');
  });

  it('stores bytes as they are with flags 0, raw or not', () => {
    const bytes = Buffer.from([0, 1, 254, 255]);
    expect(codec.encode(bytes, false, undefined, 'set')).toEqual({ bytes, length: 4, flags: 0 });
  });

  it('refuses raw values that are neither text, bytes nor numbers', () => {
    expect(() => codec.encode({ a: 1 }, true, undefined, 'set')).toThrow(InvalidArgumentError);
  });

  it('refuses what the serializer cannot represent, with a typed error', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [cycle, 1n, () => 1, undefined, Symbol('s')]) {
      expect(() => codec.encode(value, false, undefined, 'set')).toThrow(InvalidArgumentError);
    }
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['a promise', Promise.resolve('{}')],
    ['a plain object', { length: 2 }],
  ])('refuses a custom serializer whose dump() returns %s, with an InvalidArgumentError naming it', (_, dumped) => {
    const odd = new ValueCodec({ ...base, serializer: { dump: () => dumped as string, load: () => undefined } });
    expect(() => odd.encode({ a: 1 }, false, undefined, 'set')).toThrow(InvalidArgumentError);
    expect(() => odd.encode({ a: 1 }, false, undefined, 'set')).toThrow(/serializer's dump\(\) returned/);
  });

  it('refuses a custom compressor that returns no bytes, with an InvalidArgumentError naming it', () => {
    const compressor = { compress: () => 'deflated' as unknown as Uint8Array, decompress: () => Buffer.alloc(0) };
    const odd = new ValueCodec({ ...base, compressor });
    expect(() => odd.encode('x'.repeat(500), false, undefined, 'set')).toThrow(/compressor returned a string/);
  });

  it('compresses from compressionMinSize on (flag 0x2) and not below it', () => {
    const small = codec.encode('x'.repeat(97), false, undefined, 'set'); // 99 bytes of JSON
    const large = codec.encode('x'.repeat(98), false, undefined, 'set'); // 100 bytes of JSON
    expect(small.flags).toBe(0x1);
    expect(large.flags).toBe(0x3);
    expect(large.bytes.length).toBeLessThan(100);
    expect(roundTrip('x'.repeat(5000))).toBe('x'.repeat(5000));
  });

  it('lets a request turn compression off, or on when the client has it off', () => {
    expect(codec.encode('x'.repeat(500), false, false, 'set').flags).toBe(0x1);
    const off = new ValueCodec({ ...base, compress: false });
    expect(off.encode('x'.repeat(500), false, undefined, 'set').flags).toBe(0x1);
    expect(off.encode('x'.repeat(500), false, true, 'set').flags).toBe(0x3);
    // As in Dalli, a request cannot force compression below compressionMinSize.
    expect(off.encode('x', false, true, 'set').flags).toBe(0x1);
  });

  it('reads a value compressed with zlib deflate elsewhere (Dalli::Compressor)', () => {
    const bytes = deflateSync(Buffer.from('from ruby'));
    expect(codec.decode(...span(bytes), 0x2, false, context)).toBe('from ruby');
    expect(codec.decode(...span(deflateSync(Buffer.from('{"a":1}'))), 0x3, false, context)).toEqual({ a: 1 });
  });

  it('checks valueMaxBytes after compression', () => {
    const compressible = 'a'.repeat(40_000);
    expect(codec.encode(compressible, true, undefined, 'set').bytes.length).toBeLessThan(10_000);
    expect(() => codec.encode(randomBytes(20_000).toString('base64'), true, undefined, 'set')).toThrow(
      ValueTooLargeError,
    );
    expect(() => codec.encode('a'.repeat(20_000), true, false, 'set')).toThrow(ValueTooLargeError);
  });

  it('refuses to write what it could not read back (over decompressedMaxBytes before compression)', () => {
    expect(() => codec.encode('a'.repeat(60_000), true, undefined, 'set')).toThrow(/could not be read back/);
  });

  it('caps decompression: a value inflating past decompressedMaxBytes fails that read', () => {
    const bomb = deflateSync(Buffer.alloc(1_000_000));
    expect(bomb.length).toBeLessThan(2_000);
    expect(() => codec.decode(...span(bomb), 0x2, false, context)).toThrow(ValueDecodeError);
  });

  it('reports a corrupt compressed value or unreadable JSON as ValueDecodeError', () => {
    expect(() => codec.decode(...span(Buffer.from('not zlib')), 0x2, false, context)).toThrow(ValueDecodeError);
    expect(() => codec.decode(...span(Buffer.from('{oops')), 0x1, false, context)).toThrow(ValueDecodeError);
  });

  it('returns bytes, untouched, for flags it does not know', () => {
    const stored = Buffer.from('opaque');
    const value = codec.decode(...span(stored), 0x10 | 0x2, false, context);
    expect(value).toEqual(Buffer.from('opaque'));
    expect(value).not.toBe(stored);
  });

  it('returns the decompressed bytes without deserializing on a raw read, copied off the socket buffer', () => {
    const stored = Buffer.from('{"a":1}');
    const value = codec.decode(...span(stored), 0x1, true, context) as Buffer;
    expect(value.toString()).toBe('{"a":1}');
    stored.fill(0);
    expect(value.toString()).toBe('{"a":1}');
    stored.write('{"a":1}');
    expect(codec.decode(...span(deflateSync(stored)), 0x3, true, context)).toEqual(stored);
  });

  it('uses a pluggable serializer', () => {
    const upper: Serializer = {
      dump: (value) => String(value).toUpperCase(),
      load: (bytes) => `loaded:${bytes.toString()}`,
    };
    const custom = new ValueCodec({ ...base, serializer: upper });
    const { bytes, flags } = custom.encode('abc', false, undefined, 'set');
    expect(Buffer.from(bytes).toString()).toBe('ABC');
    expect(custom.decode(...span(Buffer.from(bytes)), flags, false, context)).toBe('loaded:ABC');
  });
});

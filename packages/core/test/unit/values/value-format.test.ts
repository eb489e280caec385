import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors.ts';
import { resolveClientOptions } from '../../../src/options/resolve-client-options.ts';
import { zlibCompressor } from '../../../src/values/compressor.ts';
import { jsonSerializer } from '../../../src/values/serializer.ts';
import { ValueCodec } from '../../../src/values/value-codec.ts';
import type { ValueFormat } from '../../../src/values/value-format.ts';

const context = { operation: 'get' };
const codec = (valueFormat: ValueFormat): ValueCodec =>
  new ValueCodec({
    serializer: jsonSerializer,
    compressor: zlibCompressor,
    compress: true,
    compressionMinSize: 16,
    valueMaxBytes: 1024,
    decompressedMaxBytes: 4096,
    valueFormat,
  });
const read = (format: ValueFormat, bytes: Buffer | string, flags: number, raw = false): unknown => {
  const buffer = Buffer.from(bytes);
  return codec(format).decode(buffer, 0, buffer.length, flags, raw, context);
};
const bytesOf = (encoded: { bytes: Uint8Array | string }): Buffer => Buffer.from(encoded.bytes);

describe('valueFormat: memcached (2.x flags)', () => {
  it.each([
    ['text (0)', 'a\\\r\\\nb', 0, 'a\r\nb'],
    ['JSON (2)', '{"a":[1,"b"]}', 2, { a: [1, 'b'] }],
    ['numeric (8)', '-12.5', 8, -12.5],
    [
      'binary (4), latin1 text sent as UTF-8',
      Buffer.from([0xc3, 0xbf, 0x00, 0x41]),
      4,
      Buffer.from([0xff, 0x00, 0x41]),
    ],
  ])('reads %s', (_, stored, flags, expected) => {
    expect(read('memcached', stored, flags)).toEqual(expected);
  });

  it.each([0x10, 0x40, 0x3, 0x6, 0x100])('returns unknown flags 0x%s as the stored bytes, never guessed', (flags) => {
    expect(read('memcached', 'x\\\ny', flags)).toEqual(Buffer.from('x\\\ny'));
  });

  it("keeps Dalli's rules for flag 1 (Dalli's serialized), which memcached 2.x never sets", () => {
    expect(read('memcached', '{"a":1}', 1)).toEqual({ a: 1 });
  });

  it('writes strings, objects, numbers and Buffers with their flags, never compressed', () => {
    const format = codec('memcached');
    const long = 'x'.repeat(100);
    expect(format.encode(long, false, undefined, 'set')).toMatchObject({ flags: 0, length: 100 });
    expect(bytesOf(format.encode({ a: 1 }, false, undefined, 'set'))).toEqual(Buffer.from('{"a":1}'));
    expect(format.encode({ a: 1 }, false, undefined, 'set').flags).toBe(2);
    expect(format.encode(7, false, undefined, 'set')).toMatchObject({ flags: 8, length: 1 });
    const binary = format.encode(Buffer.from([0xff, 0x0a]), false, undefined, 'set');
    expect([binary.flags, bytesOf(binary)]).toEqual([4, Buffer.from([0xc3, 0xbf, 0x5c, 0x0a])]);
  });

  it('refuses a per-call compress: true for a layout that is never compressed, naming why', () => {
    expect(() => codec('memjs').encode('x', false, true, 'set')).toThrow(/compress cannot apply/);
    expect(codec('memjs').encode('x', false, false, 'set').flags).toBe(0);
  });

  it('refuses a value over valueMaxBytes', () => {
    expect(() => codec('memcached').encode('x'.repeat(1025), false, undefined, 'set')).toThrow(/valueMaxBytes/);
  });
});

describe('valueFormat: memjs', () => {
  it('reads a flags-0 value as its exact bytes, even when they are not UTF-8', () => {
    expect(read('memjs', Buffer.from([0xc3, 0x28]), 0)).toEqual(Buffer.from([0xc3, 0x28]));
  });

  it("keeps Dalli's rules for values with Dalli's flags", () => {
    expect(read('memjs', '[1,2]', 1)).toEqual([1, 2]);
  });

  it('writes everything with flags 0: text and numbers as text, objects as JSON text', () => {
    const format = codec('memjs');
    expect(bytesOf(format.encode({ a: 'é' }, false, undefined, 'set'))).toEqual(Buffer.from('{"a":"é"}'));
    expect(format.encode('y'.repeat(100), false, undefined, 'set')).toMatchObject({ flags: 0, length: 100 });
    expect(bytesOf(format.encode(12, false, undefined, 'set'))).toEqual(Buffer.from('12'));
  });
});

describe('the valueFormat option', () => {
  it("defaults to Dalli's flags: flag 2 means compressed", () => {
    expect(resolveClientOptions().valueFormat).toBe('dalli');
    expect(() => read('dalli', '{"a":1}', 2)).toThrow(/decompress/);
  });

  it.each(['json', { read: 'memjs' }, { read: 'memjs', write: 'php' }, 3])(
    'refuses %j with a typed error',
    (valueFormat) => {
      expect(() => resolveClientOptions({ valueFormat } as never)).toThrow(InvalidArgumentError);
    },
  );
});

describe('foreign formats refuse what they cannot store', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;

  it.each(['memjs', 'memcached'] as const)('%s: a cyclic object or undefined is an InvalidArgumentError', (name) => {
    expect(() => codec(name).encode(cyclic, false, undefined, 'set')).toThrow(InvalidArgumentError);
    expect(() => codec(name).encode(undefined, false, undefined, 'set')).toThrow(InvalidArgumentError);
  });

  it.each(['memjs', 'memcached'] as const)('%s: a raw value must be text, bytes or a number', (name) => {
    expect(() => codec(name).encode({ a: 1 }, true, undefined, 'set')).toThrow(InvalidArgumentError);
  });

  it('memcached: a bigint keeps every digit, as text', () => {
    const encoded = codec('memcached').encode(12345678901234567890n, false, undefined, 'set');
    expect([encoded.flags, bytesOf(encoded).toString()]).toEqual([0, '12345678901234567890']);
  });
});

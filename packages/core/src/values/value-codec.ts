import { type ErrorContext, InvalidArgumentError, ValueDecodeError, ValueTooLargeError } from '../errors.ts';
import type { Compressor } from './compressor.ts';
import type { EncodedValue, InflateBudget } from './encoded-value.ts';
import { Flag, KNOWN_FLAGS } from './flags.ts';
import { DALLI_RULES, type ForeignFormat, withinLimit } from './foreign-format.ts';
import type { Serializer } from './serializer.ts';
import { foreignFormats, type ValueFormat } from './value-format.ts';

export type { EncodedValue, InflateBudget } from './encoded-value.ts';

/** Values from this size are compressed off the event loop when the compressor can (zlib: its thread pool). */
export const ASYNC_COMPRESSION_MIN_BYTES: number = 64 * 1024;
/** A batch may decompress this many times `decompressedMaxBytes` in all. */
const BATCH_INFLATE_FACTOR = 4;

export interface ValueCodecOptions {
  readonly serializer: Serializer;
  readonly compressor: Compressor;
  readonly compress: boolean;
  readonly compressionMinSize: number;
  readonly valueMaxBytes: number;
  readonly decompressedMaxBytes: number;
  /** Another client's value layout to read and/or write; Dalli's flags when absent. */
  readonly valueFormat?: ValueFormat | undefined;
}

/**
 * Dalli's value rules: serialize (flag 0x1) unless raw, then compress (flag 0x2) when the bytes
 * are at least `compressionMinSize` long and compression is on, then check the size against
 * `valueMaxBytes`. Reads undo the flags in reverse order.
 */
export class ValueCodec {
  readonly #options: ValueCodecOptions;
  readonly #foreign: { reader: ForeignFormat | undefined; writer: ForeignFormat | undefined };

  constructor(options: ValueCodecOptions) {
    this.#options = options;
    this.#foreign = foreignFormats(options.valueFormat);
  }

  /**
   * The value's bytes and flags, compressed on the spot. A bad value throws a typed error. A
   * compressed value that is not smaller than the original is dropped: the original is stored,
   * without the compressed flag.
   */
  encode(value: unknown, raw: boolean, compress: boolean | undefined, operation: string): EncodedValue {
    return this.#encode(value, raw, compress, operation, false) as EncodedValue;
  }

  /**
   * As {@link encode}, but a value of at least 64 KiB is compressed off the event loop (when the
   * compressor can) and comes as a promise: one big write must not stall every other request.
   * Small values stay synchronous, the fast path.
   */
  encodeForWrite(
    value: unknown,
    raw: boolean,
    compress: boolean | undefined,
    operation: string,
  ): EncodedValue | Promise<EncodedValue> {
    return this.#encode(value, raw, compress, operation, true);
  }

  #encode(
    value: unknown,
    raw: boolean,
    compress: boolean | undefined,
    operation: string,
    offLoop: boolean,
  ): EncodedValue | Promise<EncodedValue> {
    const writer = this.#foreign.writer;
    if (writer !== undefined) {
      if (compress === true) {
        throw new InvalidArgumentError('compress cannot apply: this valueFormat is never compressed', { operation });
      }
      return withinLimit(writer.encode(value, raw, operation), this.#options.valueMaxBytes, operation);
    }
    const encoded = raw ? rawBytes(value, operation) : this.#serialize(value, operation);
    const options = this.#options;
    if (encoded.length > options.decompressedMaxBytes) {
      throw new ValueTooLargeError(
        `value is ${encoded.length} bytes before compression; decompressedMaxBytes is ${options.decompressedMaxBytes}, so it could not be read back`,
        { operation },
      );
    }
    if (encoded.length < options.compressionMinSize || !(compress ?? options.compress)) {
      return this.#checkSize(encoded, operation);
    }
    const input = typeof encoded.bytes === 'string' ? Buffer.from(encoded.bytes, 'utf8') : toBuffer(encoded.bytes);
    const compressor = options.compressor;
    if (offLoop && encoded.length >= ASYNC_COMPRESSION_MIN_BYTES && compressor.compressAsync !== undefined) {
      return compressor
        .compressAsync(input)
        .then((bytes) => this.#checkSize(smaller(encoded, bytes, operation), operation));
    }
    return this.#checkSize(smaller(encoded, compressor.compress(input), operation), operation);
  }

  /** A fresh budget for one multi-key read. */
  batchInflateBudget(): InflateBudget {
    return { remaining: BATCH_INFLATE_FACTOR * this.#options.decompressedMaxBytes };
  }

  #checkSize(encoded: EncodedValue, operation: string): EncodedValue {
    const limit = this.#options.valueMaxBytes;
    if (encoded.length > limit) {
      throw new ValueTooLargeError(`value is ${encoded.length} bytes; valueMaxBytes is ${limit}`, { operation });
    }
    return encoded;
  }

  /**
   * Reads stored bytes (`buffer` from `start` to `end`, the socket chunk) per their flags. `raw`
   * returns the bytes after decompression without deserializing them. Unknown flag bits: the
   * stored bytes, untouched. Bytes returned are copied off the chunk, so it can be collected.
   */
  decode(
    buffer: Buffer,
    start: number,
    end: number,
    flags: number,
    raw: boolean,
    context: ErrorContext,
    budget?: InflateBudget,
  ): unknown {
    const foreign = this.#foreign.reader?.decode(buffer.subarray(start, end), flags, raw, context) ?? DALLI_RULES;
    if (foreign !== DALLI_RULES) return foreign;
    // The common case first, read straight off the chunk: text stored as is.
    if (flags === 0 && !raw) return buffer.toString('utf8', start, end);
    if ((flags & ~KNOWN_FLAGS) !== 0) return Buffer.from(buffer.subarray(start, end));
    const stored = buffer.subarray(start, end);
    const data = (flags & Flag.compressed) !== 0 ? this.#decompress(stored, context, budget) : stored;
    if (raw) return data === stored ? Buffer.from(stored) : data;
    if ((flags & Flag.serialized) === 0) return data.toString('utf8');
    try {
      return this.#options.serializer.load(data);
    } catch (cause) {
      throw new ValueDecodeError('the serializer could not load the stored value', { ...context, cause });
    }
  }

  #serialize(value: unknown, operation: string): EncodedValue {
    // Bytes have no faithful JSON form; they are stored as they are, like a raw value.
    if (value instanceof Uint8Array) return { bytes: value, length: value.length, flags: 0 };
    let dumped: string | Uint8Array;
    try {
      dumped = this.#options.serializer.dump(value);
    } catch (cause) {
      throw new InvalidArgumentError('the serializer cannot represent this value', { operation, cause });
    }
    // A custom serializer is user code: a number or a promise from dump() would otherwise surface as
    // a bare TypeError deep in the write path, or be written as garbage.
    if (typeof dumped !== 'string' && !(dumped instanceof Uint8Array)) {
      throw new InvalidArgumentError(
        `the serializer's dump() returned ${describe(dumped)}, not a string or a Uint8Array`,
        { operation },
      );
    }
    return { bytes: dumped, length: byteLength(dumped), flags: Flag.serialized };
  }

  #decompress(bytes: Buffer, context: ErrorContext, budget: InflateBudget | undefined): Buffer {
    const perValue = this.#options.decompressedMaxBytes;
    const limit = budget === undefined ? perValue : Math.min(perValue, budget.remaining);
    try {
      const data = this.#options.compressor.decompress(bytes, limit);
      if (data.length > limit) throw new RangeError(`decompressed to ${data.length} bytes`);
      if (budget !== undefined) budget.remaining -= data.length;
      return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    } catch (cause) {
      const message =
        limit < perValue
          ? `the stored value does not decompress within what is left of this batch's ${BATCH_INFLATE_FACTOR * perValue} bytes`
          : `the stored value does not decompress within ${limit} bytes`;
      throw new ValueDecodeError(message, { ...context, cause });
    }
  }
}

/** What a serializer or compressor returned instead of bytes, for the error (never the value itself). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return `a ${value.constructor?.name ?? 'Object'}`;
}

/** The compressed form if it is smaller, else the original as it was (not flagged compressed). */
function smaller(original: EncodedValue, compressed: Uint8Array, operation: string): EncodedValue {
  if (!(compressed instanceof Uint8Array)) {
    throw new InvalidArgumentError(`the compressor returned ${describe(compressed)}, not a Uint8Array`, { operation });
  }
  if (compressed.length >= original.length) return original;
  return { bytes: compressed, length: compressed.length, flags: original.flags | Flag.compressed };
}

/** Raw values are stored as given: text as UTF-8, bytes as they are, numbers in decimal (for incr/decr). */
function rawBytes(value: unknown, operation: string): EncodedValue {
  if (typeof value === 'string' || value instanceof Uint8Array)
    return { bytes: value, length: byteLength(value), flags: 0 };
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') {
    const text = String(value);
    return { bytes: text, length: text.length, flags: 0 };
  }
  throw new InvalidArgumentError('a raw value must be a string, a Buffer or Uint8Array, or a finite number', {
    operation,
  });
}

function byteLength(bytes: Uint8Array | string): number {
  return typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.length;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

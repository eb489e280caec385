import { HEADER_LENGTH, Opcode, Status } from './constants.ts';

/**
 * One complete response frame. Numeric header fields are decoded; the body stays in `buffer`
 * (starting at `offset`) and is read through the accessors below only when an operation needs it.
 */
export interface ResponseFrame {
  readonly opcode: number;
  /** The binary status code (see {@link Status}). */
  readonly statusCode: number;
  readonly opaque: number;
  readonly extrasLength: number;
  readonly keyLength: number;
  readonly bodyLength: number;
  readonly buffer: Buffer;
  readonly offset: number;
}

/** The CAS token memcached returned (uint64, big-endian: Dalli reads it in native order, a bug). */
export function responseCas(frame: ResponseFrame): bigint {
  return frame.buffer.readBigUInt64BE(frame.offset + 16);
}

export function responseExtras(frame: ResponseFrame): Buffer {
  const start = frame.offset + HEADER_LENGTH;
  return frame.buffer.subarray(start, start + frame.extrasLength);
}

export function responseKey(frame: ResponseFrame): Buffer {
  const start = frame.offset + HEADER_LENGTH + frame.extrasLength;
  return frame.buffer.subarray(start, start + frame.keyLength);
}

/** Start and end offsets of the value within `frame.buffer`. */
export function valueStart(frame: ResponseFrame): number {
  return frame.offset + HEADER_LENGTH + frame.extrasLength + frame.keyLength;
}

export function valueEnd(frame: ResponseFrame): number {
  return frame.offset + HEADER_LENGTH + frame.bodyLength;
}

/** A view of the value bytes; it shares memory with the socket chunk, so copy it to keep it. */
export function responseValue(frame: ResponseFrame): Buffer {
  return frame.buffer.subarray(valueStart(frame), valueEnd(frame));
}

/** The value as UTF-8 text (memcached's error messages and VERSION replies are text). */
export function responseText(frame: ResponseFrame): string {
  return frame.buffer.toString('utf8', valueStart(frame), valueEnd(frame));
}

/** The item flags of a get-family response (the first 4 bytes of extras), or 0 when absent. */
export function responseFlags(frame: ResponseFrame): number {
  if (frame.extrasLength < 4) return 0;
  const buffer = frame.buffer;
  const at = frame.offset + HEADER_LENGTH;
  return (
    (((buffer[at] as number) << 24) >>> 0) +
    (((buffer[at + 1] as number) << 16) | ((buffer[at + 2] as number) << 8) | (buffer[at + 3] as number))
  );
}

/** The new counter value of an incr/decr response: an 8-byte unsigned value body; undefined if it is not 8 bytes. */
export function responseCounter(frame: ResponseFrame): bigint | undefined {
  const start = valueStart(frame);
  return valueEnd(frame) - start === 8 ? frame.buffer.readBigUInt64BE(start) : undefined;
}

/**
 * Whether this frame ends the reply to its request. A successful STAT reply is a series of
 * frames ended by one with an empty key; every other reply is a single frame.
 */
export function isFinalFrame(frame: { opcode: number; statusCode: number; keyLength: number }): boolean {
  return frame.opcode !== Opcode.stat || frame.statusCode !== Status.noError || frame.keyLength === 0;
}

import { type Command, checkedUint32 } from '../command.ts';
import { FrameError } from '../frame-error.ts';
import { ReplyStatus } from '../reply.ts';

/**
 * What the two line dialects (meta and text) share: requests are a line, plus a data block for
 * stores; errors come back as `ERROR`, `CLIENT_ERROR …` or `SERVER_ERROR …` lines.
 */

/** Bytes a request line holds besides its key and data, at most (command, flags, numbers, CRLFs). */
const LINE_OVERHEAD = 160;

/** Bytes a line request may take, at most: keys and text counted at 3 bytes per UTF-16 unit. */
export function lineRequestBound(command: Command): number {
  let key = command.key === undefined ? 0 : command.key.length * 3;
  if (command.keys !== undefined) for (const each of command.keys) key += each.length * 3 + 1;
  const value = command.value;
  const valueBound = value === undefined ? 0 : typeof value === 'string' ? value.length * 3 : value.length;
  return LINE_OVERHEAD + key + valueBound;
}

/** The data block's length in bytes, as its line announces it. */
export function dataLength(value: Uint8Array | string): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

/** Writes `line`, then the data block and its CRLF; returns the offset just past them. */
export function writeLineWithData(line: string, value: Uint8Array | string, out: Buffer, at: number): number {
  let end = writeText(line, out, at);
  if (typeof value === 'string') end += out.write(value, end, 'utf8');
  else {
    out.set(value, end);
    end += value.length;
  }
  out[end] = 13;
  out[end + 1] = 10;
  return end + 2;
}

/** The command's TTL, checked to be a 32-bit number, so no line carries a token memcached misreads. */
export function lineExpiration(command: Command): number {
  return checkedUint32(command.expiration ?? 0, 'expiration');
}

/** The status of an error line, by memcached's words (proto_text.c), or undefined if it is none. */
export function errorLineStatus(line: string): ReplyStatus | undefined {
  if (line === 'ERROR' || line.startsWith('ERROR ')) return ReplyStatus.unknownCommand;
  if (line.startsWith('CLIENT_ERROR ')) {
    if (line.includes('unauthenticated') || line.includes('authentication')) return ReplyStatus.authError;
    if (line.includes('non-numeric')) return ReplyStatus.nonNumeric;
    if (line.includes('too large')) return ReplyStatus.tooLarge;
    return ReplyStatus.invalidArguments;
  }
  if (line.startsWith('SERVER_ERROR ')) {
    if (line.includes('out of memory')) return ReplyStatus.outOfMemory;
    if (line.includes('too large')) return ReplyStatus.tooLarge;
    return ReplyStatus.serverError;
  }
  return undefined;
}

/** A non-negative decimal number of up to 15 digits; anything else is garbage. */
export function decimal(buffer: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) throw new FrameError('a malformed number in a reply');
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = (buffer[i] as number) - 48;
    if (digit < 0 || digit > 9) throw new FrameError('a malformed number in a reply');
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Where the next space is in `buffer` from `from`, or `end` when there is none before it. A loop,
 * not Buffer#indexOf: reply lines are a few dozen bytes, shorter than the call into C++ costs.
 */
export function spaceOrEnd(buffer: Buffer, from: number, end: number): number {
  for (let at = from; at < end; at++) if (buffer[at] === 32) return at;
  return end;
}

/** Writes `text` (a line or a piece of one) at `at` and returns its end: ASCII by hand, else UTF-8. */
export function writeText(line: string, out: Buffer, at: number): number {
  const length = line.length;
  for (let i = 0; i < length; i++) {
    const code = line.charCodeAt(i);
    if (code >= 0x80) return at + out.write(line, at, 'utf8');
    out[at + i] = code;
  }
  return at + length;
}

/** Writes a non-negative integer in decimal at `at` and returns its end. */
export function writeDecimal(value: number, out: Buffer, at: number): number {
  if (value < 10) {
    out[at] = 48 + value;
    return at + 1;
  }
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = value;
  for (let i = digits - 1; i >= 0; i--) {
    out[at + i] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/** Writes CRLF at `at` and returns its end. */
export function writeCrlf(out: Buffer, at: number): number {
  out[at] = 13;
  out[at + 1] = 10;
  return at + 2;
}

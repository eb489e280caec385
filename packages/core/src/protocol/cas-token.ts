import { FrameError } from './frame-error.ts';

/** The largest CAS token, 2^64-1, as memcached writes it in decimal. */
const UINT64_MAX_DIGITS = '18446744073709551615';

/**
 * Checks that `buffer[start, end)` is a CAS token as memcached writes it in a line reply: 1 to 20
 * decimal digits, at most 2^64-1. Called while the line is read, so a malformed token is a
 * FrameError (the connection's replies can no longer be trusted) instead of a bare SyntaxError
 * from BigInt once a caller reads it.
 */
export function checkCasToken(buffer: Buffer, start: number, end: number): void {
  const length = end - start;
  if (length < 1 || length > 20) throw new FrameError('a malformed CAS token in a reply');
  for (let i = start; i < end; i++) {
    const byte = buffer[i] as number;
    if (byte < 0x30 || byte > 0x39) throw new FrameError('a malformed CAS token in a reply');
  }
  if (length === 20 && buffer.toString('latin1', start, end) > UINT64_MAX_DIGITS) {
    throw new FrameError('a CAS token over 2^64-1 in a reply');
  }
}

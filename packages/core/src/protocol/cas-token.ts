import { ProtocolError } from '../errors.ts';

/** The largest CAS token, 2^64-1, as memcached writes it in decimal. */
const UINT64_MAX_DIGITS = '18446744073709551615';

/**
 * The CAS token at `buffer[start, end)`, as memcached writes it in a line reply: 1 to 20 decimal
 * digits, at most 2^64-1. Anything else is a ProtocolError (not BigInt's bare SyntaxError), thrown
 * when the request that asked for the token reads it: that request fails alone, without a retry
 * that would only meet the same reply, and the connection is dropped (its replies can no longer be
 * trusted) while the requests behind it are retried on a fresh one.
 */
export function casToken(buffer: Buffer, start: number, end: number): bigint {
  const length = end - start;
  let wellFormed = length >= 1 && length <= 20;
  for (let i = start; wellFormed && i < end; i++) {
    const byte = buffer[i] as number;
    wellFormed = byte >= 0x30 && byte <= 0x39;
  }
  const digits = buffer.toString('latin1', start, end);
  if (!wellFormed || (length === 20 && digits > UINT64_MAX_DIGITS)) {
    throw new ProtocolError('a malformed CAS token in a reply (not a decimal number from 0 to 2^64-1)');
  }
  return BigInt(digits);
}

import { InvalidArgumentError } from '../errors.ts';
import { DALLI_RULES, type ForeignFormat, jsonText, plainBytes } from './foreign-format.ts';

/**
 * memjs 1.3.2's layout: it stores the bytes it is given with flags 0 and hands back a Buffer, so
 * a flags-0 value reads as a Buffer of exactly those bytes (never guessed to be text). Values with
 * Dalli's flag bits were written by Dalli clients and keep Dalli's rules. Writes store text, bytes
 * and numbers as their bytes, and anything else as JSON text, which is how memjs apps store objects.
 */
export const memjsFormat: ForeignFormat = {
  encode(value, raw, operation) {
    const bytes = plainBytes(value) ?? (raw ? undefined : Buffer.from(jsonText(value, operation), 'utf8'));
    if (bytes === undefined) {
      throw new InvalidArgumentError('a raw value must be a string, a Buffer or Uint8Array, or a finite number', {
        operation,
      });
    }
    return { bytes, length: bytes.length, flags: 0 };
  },
  decode(stored, flags) {
    return flags === 0 ? Buffer.from(stored) : DALLI_RULES;
  },
};

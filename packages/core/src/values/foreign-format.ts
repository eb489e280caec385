import { type ErrorContext, InvalidArgumentError, ValueTooLargeError } from '../errors.ts';
import type { EncodedValue } from './encoded-value.ts';

/** Returned by a foreign reader for values it leaves to Dalli's rules. */
export const DALLI_RULES: unique symbol = Symbol('dalli rules');

/** Another client's layout: how it writes a value, and how its stored values read. */
export interface ForeignFormat {
  encode(value: unknown, raw: boolean, operation: string): EncodedValue;
  decode(stored: Buffer, flags: number, raw: boolean, context: ErrorContext): unknown;
}

/** Foreign layouts are never compressed (their clients could not read it); only the size limit applies. */
export function withinLimit(encoded: EncodedValue, valueMaxBytes: number, operation: string): EncodedValue {
  if (encoded.length > valueMaxBytes) {
    throw new ValueTooLargeError(`value is ${encoded.length} bytes; valueMaxBytes is ${valueMaxBytes}`, { operation });
  }
  return encoded;
}

/** Text, bytes or a number as the bytes a foreign client stores; undefined for anything else. */
export function plainBytes(value: unknown): Buffer | undefined {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length);
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') {
    return Buffer.from(String(value), 'latin1');
  }
  return undefined;
}

/** The JSON text of a value; a value JSON cannot hold (undefined, a function, a cycle, a bigint) is a bad argument. */
export function jsonText(value: unknown, operation: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new InvalidArgumentError('JSON cannot represent this value', { operation, cause });
  }
  if (text === undefined) throw new InvalidArgumentError('JSON cannot represent this value', { operation });
  return text;
}

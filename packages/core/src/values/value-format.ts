import { type ErrorContext, InvalidArgumentError, ValueTooLargeError } from '../errors.ts';
import { memcachedFormat } from './memcached-format.ts';
import { memjsFormat } from './memjs-format.ts';
import type { EncodedValue } from './value-codec.ts';

/** Whose value layout to use: Dalli's flags (shared with Ruby), memjs's bare bytes, or `memcached` 2.x's flags. */
export const VALUE_FORMATS = ['dalli', 'memjs', 'memcached'] as const;

export type ValueFormatName = (typeof VALUE_FORMATS)[number];

/**
 * A `valueFormat` option: one name to read and write that client's layout, or `{ read, write }` to
 * read it while writing another (usually Dalli's, once the old client is gone).
 */
export type ValueFormat = ValueFormatName | { readonly read: ValueFormatName; readonly write: ValueFormatName };

/** Returned by a foreign reader for values it leaves to Dalli's rules. */
export const DALLI_RULES: unique symbol = Symbol('dalli rules');

/** Another client's layout: how it writes a value, and how its stored values read. */
export interface ForeignFormat {
  encode(value: unknown, raw: boolean, operation: string): EncodedValue;
  decode(stored: Buffer, flags: number, raw: boolean, context: ErrorContext): unknown;
}

export function checkValueFormat(value: unknown): void {
  const known = (name: unknown): boolean => (VALUE_FORMATS as readonly unknown[]).includes(name);
  if (known(value)) return;
  if (typeof value === 'object' && value !== null) {
    const { read, write } = value as { read?: unknown; write?: unknown };
    if (known(read) && known(write)) return;
  }
  throw new InvalidArgumentError(
    `valueFormat must be one of ${VALUE_FORMATS.map((name) => `'${name}'`).join(', ')}, or { read, write } of them`,
  );
}

/** The foreign reader and writer a `valueFormat` asks for; undefined where Dalli's own rules apply. */
export function foreignFormats(format: ValueFormat | undefined): {
  reader: ForeignFormat | undefined;
  writer: ForeignFormat | undefined;
} {
  const { read, write } = typeof format === 'object' ? format : { read: format, write: format };
  return { reader: byName(read), writer: byName(write) };
}

function byName(name: ValueFormatName | undefined): ForeignFormat | undefined {
  if (name === 'memjs') return memjsFormat;
  if (name === 'memcached') return memcachedFormat;
  return undefined;
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

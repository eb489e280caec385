import { InvalidArgumentError } from '../errors.ts';
import type { ForeignFormat } from './foreign-format.ts';
import { memcachedFormat } from './memcached-format.ts';
import { memjsFormat } from './memjs-format.ts';

/** Whose value layout to use: Dalli's flags (shared with Ruby), memjs's bare bytes, or `memcached` 2.x's flags. */
export const VALUE_FORMATS = ['dalli', 'memjs', 'memcached'] as const;

export type ValueFormatName = (typeof VALUE_FORMATS)[number];

/**
 * A `valueFormat` option: one name to read and write that client's layout, or `{ read, write }` to
 * read it while writing another (usually Dalli's, once the old client is gone).
 */
export type ValueFormat = ValueFormatName | { readonly read: ValueFormatName; readonly write: ValueFormatName };

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

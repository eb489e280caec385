import { InvalidArgumentError, ValueDecodeError } from '../errors.ts';
import { Flag } from './flags.ts';
import { DALLI_RULES, type ForeignFormat, jsonText, plainBytes } from './foreign-format.ts';

/** The flags `memcached` 2.x (3rd-Eden) stores beside a value: what its `set` was given. */
export const MemcachedFlag = { text: 0, json: 0x2, binary: 0x4, numeric: 0x8 } as const;

/**
 * `memcached` 2.x's layout over its text protocol: strings as UTF-8 (flags 0), other objects as
 * JSON (2), numbers in decimal (8), and Buffers (4) as the UTF-8 encoding of their latin1 text, so
 * every byte above 0x7f takes two bytes on the wire. It also puts a backslash before each CR and
 * LF of a value, and strips it on reading; both are done here too, so either side reads the other.
 * Flag 1 (Dalli's serialized) does not clash and keeps Dalli's rules; any other flags are unknown
 * and read as the stored bytes.
 */
export const memcachedFormat: ForeignFormat = {
  encode(value, raw, operation) {
    if (raw && plainBytes(value) === undefined) {
      throw new InvalidArgumentError('a raw value must be a string, a Buffer or Uint8Array, or a finite number', {
        operation,
      });
    }
    const [text, flags] = typed(value, operation);
    const bytes = Buffer.from(text.replace(/(\r|\n)/g, '\\$1'), 'utf8');
    return { bytes, length: bytes.length, flags };
  },
  decode(stored, flags, raw, context) {
    if (flags === Flag.serialized) return DALLI_RULES;
    if (!(Object.values(MemcachedFlag) as number[]).includes(flags)) return Buffer.from(stored);
    const bytes = unescapeLineBreaks(stored);
    if (flags === MemcachedFlag.binary) return Buffer.from(bytes.toString('utf8'), 'latin1');
    if (raw) return bytes;
    const text = bytes.toString('utf8');
    if (flags === MemcachedFlag.numeric) return Number(text);
    if (flags === MemcachedFlag.text) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new ValueDecodeError('the stored value is not the JSON its flags say', { ...context, cause });
    }
  },
};

function typed(value: unknown, operation: string): [string, number] {
  if (typeof value === 'string') return [value, MemcachedFlag.text];
  if (value instanceof Uint8Array) {
    return [Buffer.from(value.buffer, value.byteOffset, value.length).toString('latin1'), MemcachedFlag.binary];
  }
  if (typeof value === 'number') return [String(value), MemcachedFlag.numeric];
  // A bigint keeps every digit as text: memcached 2.x would read flag 8 back through Number().
  if (typeof value === 'bigint') return [String(value), MemcachedFlag.text];
  return [jsonText(value, operation), MemcachedFlag.json];
}

/** Drops the backslash `memcached` 2.x puts before CR and LF, byte by byte (so bytes that are not UTF-8 survive). */
function unescapeLineBreaks(stored: Buffer): Buffer {
  const out = Buffer.allocUnsafe(stored.length);
  let length = 0;
  for (let i = 0; i < stored.length; i++) {
    const next = stored[i + 1];
    if (stored[i] === 0x5c && (next === 0x0d || next === 0x0a)) continue;
    out[length++] = stored[i] as number;
  }
  return out.subarray(0, length);
}

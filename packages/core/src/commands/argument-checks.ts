import { InvalidArgumentError } from '../errors.ts';

const UINT64_MAX = 0xffffffffffffffffn;

/** A 64-bit unsigned integer argument (incr/decr amounts and initial values, CAS tokens). */
export function uint64(value: unknown, name: string, operation: string): bigint {
  if (typeof value === 'bigint' && value >= 0n && value <= UINT64_MAX) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new InvalidArgumentError(`${name} must be an integer from 0 to 2^64-1 (a number or a bigint)`, { operation });
}

/** A per-operation timeout in seconds, as milliseconds for the connection; undefined keeps the default. */
export function timeoutMs(seconds: number | undefined, operation: string): number | undefined {
  if (seconds === undefined) return undefined;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('timeout must be a positive number of seconds', { operation });
  }
  return seconds * 1000;
}

/**
 * The keys of a multi-key call, in order; deduplicated when a key asked twice would get two
 * different answers (deleteMulti), left alone when repeating it is harmless (getMulti).
 */
export function keyList(keys: Iterable<string>, operation: string, dedupe: boolean): readonly string[] {
  if (keys === null || typeof keys !== 'object' || typeof (keys as Iterable<string>)[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError('keys must be an iterable of strings', { operation });
  }
  if (dedupe) return [...new Set(keys)];
  return Array.isArray(keys) ? keys : [...keys];
}

/** The entries of setMulti: a Map, an iterable of [key, value] pairs, or a plain object. */
export function entryList(
  entries: Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>,
  operation: string,
): (readonly [string, unknown])[] {
  if (entries === null || typeof entries !== 'object') {
    throw new InvalidArgumentError('entries must be a Map, an iterable of [key, value] pairs, or an object', {
      operation,
    });
  }
  if (typeof (entries as Iterable<unknown>)[Symbol.iterator] !== 'function') return Object.entries(entries);
  const list: (readonly [string, unknown])[] = [];
  for (const entry of entries as Iterable<unknown>) {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new InvalidArgumentError('each entry must be a [key, value] pair', { operation });
    }
    list.push(entry as unknown as readonly [string, unknown]);
  }
  return list;
}

import type { CasValue } from '../commands/reads.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { CasOptions, CasWriteOptions, ReadOptions, WriteOptions } from '../options/operation-options.ts';

/** The operations the read-modify-write helpers are built from. */
export interface ReadModifyWriteClient {
  get(key: string, options?: ReadOptions): Promise<unknown>;
  gets(key: string, options?: ReadOptions): Promise<CasValue | undefined>;
  set(key: string, value: unknown, ttl?: number, options?: CasWriteOptions): Promise<boolean>;
  add(key: string, value: unknown, ttl?: number, options?: WriteOptions): Promise<boolean>;
}

const DEFAULT_CAS_ATTEMPTS = 5;

/** Dalli's `cas`, retried: read with gets, update, write back only if unchanged. */
export async function casLoop(
  client: ReadModifyWriteClient,
  key: string,
  ttl: number | undefined,
  update: (value: unknown) => unknown,
  options: CasOptions | undefined,
): Promise<boolean | undefined> {
  const attempts = options?.maxAttempts ?? DEFAULT_CAS_ATTEMPTS;
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new InvalidArgumentError('maxAttempts must be a positive integer', { operation: 'cas' });
  }
  for (let attempt = 0; attempt < attempts; attempt++) {
    const current = await client.gets(key, options);
    if (current === undefined) return undefined;
    const next = await update(current.value);
    if (await client.set(key, next, ttl, { ...options, cas: current.cas })) return true;
  }
  return false;
}

/** Dalli's `fetch`: get; on a miss, compute and add (an undefined result is not stored). */
export async function fetchThrough(
  client: ReadModifyWriteClient,
  key: string,
  ttl: number | undefined,
  compute: () => unknown,
  options: (ReadOptions & WriteOptions) | undefined,
): Promise<unknown> {
  const cached = await client.get(key, options);
  if (cached !== undefined) return cached;
  const value = await compute();
  if (value !== undefined) await client.add(key, value, ttl, options);
  return value;
}

/**
 * Reads the TTL of a call with a callback: `(callback, options?)` with `options.ttl`, or the older
 * `(ttl, callback, options?)`, still accepted. A TTL given both ways is refused.
 */
export function splitTtl<F, O extends { readonly ttl?: number | undefined }>(
  args: unknown[],
  operation: string,
): [number | undefined, F, O | undefined] {
  const [first, second, third] = args;
  if (typeof first === 'function') return [(second as O | undefined)?.ttl, first as F, second as O | undefined];
  if ((third as O | undefined)?.ttl !== undefined) {
    throw new InvalidArgumentError('ttl is given twice: as an argument and in options', { operation });
  }
  if (typeof second !== 'function') {
    throw new InvalidArgumentError(`${operation} needs a callback`, { operation });
  }
  if (first !== undefined && typeof first !== 'number') {
    throw new InvalidArgumentError('ttl must be a number of seconds', { operation });
  }
  return [first as number | undefined, second as F, third as O | undefined];
}

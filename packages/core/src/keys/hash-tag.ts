import { InvalidArgumentError } from '../errors.ts';

/**
 * The part of `wireKey` its server is chosen by, under `hashTag` (two delimiters, e.g. `'{}'`): the
 * text between the first opening delimiter and the first closing one after it, so
 * `{user:42}:profile` and `{user:42}:cart` share a server. A key with no opening delimiter, none
 * closing after it, or an empty tag (`{}x`) is placed by the whole key. That is nutcracker's
 * `hash_tag` rule (`server_pool_idx`) and Redis Cluster's. The delimiters are ASCII, so the
 * positions found in the string are the ones nutcracker finds in the UTF-8 bytes.
 */
export function hashTagOf(wireKey: string, hashTag: string): string {
  const start = wireKey.indexOf(hashTag[0] as string);
  if (start < 0) return wireKey;
  const end = wireKey.indexOf(hashTag[1] as string, start + 1);
  return end > start + 1 ? wireKey.slice(start + 1, end) : wireKey;
}

/** Refuses a `hashTag` option that is not two printable ASCII characters (nutcracker's is two bytes). */
export function checkHashTag(value: unknown): void {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{2}$/.test(value)) {
    throw new InvalidArgumentError(
      'option "hashTag" must be two printable ASCII characters, the opening and closing delimiter (e.g. "{}")',
    );
  }
}

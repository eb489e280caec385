import type { RunnerParts } from './client-runner.ts';
import { entryList } from './commands/argument-checks.ts';
import { deleteMultiKind, getMultiKind, setMultiKind } from './commands/multi.ts';
import { expirationFor } from './commands/ttl.ts';
import { checkOperationOptions } from './options/operation-option-checks.ts';
import type { OperationOptions, ReadOptions, WriteOptions } from './options/operation-options.ts';
import { localForget, localForgetAfter } from './recipes/local-cache/local-cache.ts';
import type { EncodedValue } from './values/value-codec.ts';

/**
 * The runners of the multi-key operations (one batch of quiet requests per server), with their
 * local- and near-cache effects: getMulti reads through the near cache, setMulti and deleteMulti
 * drop their keys from both caches.
 */

type Values = Promise<Map<string, unknown>>;

/** setMulti: every value encoded (and checked) before any is sent; large ones compress off the event loop. */
export async function storeEntries(
  client: object,
  parts: RunnerParts,
  entries: Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>,
  ttl: number | undefined,
  options: WriteOptions | undefined,
): Promise<void> {
  checkOperationOptions(options, 'setMulti');
  const expiration = expirationFor(ttl ?? parts.expiresIn, 'setMulti');
  const raw = options?.raw ?? parts.raw;
  const list = entryList(entries, 'setMulti');
  const codec = parts.dispatcher.codec;
  const values = list.map(([, value]) => codec.encodeForWrite(value, raw, options?.compress, 'setMulti'));
  const ready = values.some((value) => value instanceof Promise) ? await Promise.all(values) : values;
  const encoded = new Map(list.map(([key], i) => [key, ready[i] as EncodedValue]));
  localForget(client, encoded.keys());
  const written = parts.dispatcher.batch(setMultiKind, encoded.keys(), { values: encoded, expiration }, options, raw);
  await (parts.near.active ? parts.near.wrote([...encoded.keys()], written) : written);
}

/** getMulti: with the near cache on, its fresh hits are served from memory and only the others sent. */
export function readEntries(parts: RunnerParts, keys: Iterable<string>, options: ReadOptions | undefined): Values {
  const { dispatcher, near } = parts;
  if (!near.active) return dispatcher.batch(getMultiKind, keys, undefined, options, options?.raw);
  return near.getMulti(keys, options, (list) => dispatcher.batch(getMultiKind, list, undefined, options, options?.raw));
}

/** deleteMulti: the local and near caches drop each key it reports on (every key, if it failed). */
export function deleteEntries(
  client: object,
  parts: RunnerParts,
  keys: Iterable<string>,
  options: OperationOptions | undefined,
): Promise<Map<string, boolean>> {
  const deleted = parts.dispatcher.batch(deleteMultiKind, keys, undefined, options, false);
  return localForgetAfter(client, parts.near.active ? parts.near.wroteEach(deleted) : deleted);
}

import { type Client, ErrorCode, InvalidArgumentError } from '@dalli/core';
import type { StorageMeta } from 'unstorage';

/** Clients whose dialect has no item metadata (binary, text), learnt from their first refusal. */
const withoutMetadata = new WeakSet<Client>();

/**
 * What memcached knows of an item, as unstorage's `getMeta` reports it: `ttl`, the seconds left
 * (absent when the item never expires), and `atime`, when it was last read or written. Only the
 * meta protocol returns these (`mg <key> t l`); in the other dialects, and on a miss, there is nothing to report.
 */
export async function readMeta(client: Client, wireKey: string): Promise<StorageMeta | null> {
  if (withoutMetadata.has(client)) return {};
  let item: Awaited<ReturnType<Client['getWithMetadata']>>;
  try {
    item = await client.getWithMetadata(wireKey, { raw: true });
  } catch (error) {
    // The client refuses before sending anything when its dialect has no metadata: a property of
    // the client, not of this call.
    if (!(error instanceof InvalidArgumentError) || error.code !== ErrorCode.invalidArgument) throw error;
    withoutMetadata.add(client);
    return {};
  }
  if (item === undefined) return null;
  const meta: StorageMeta = { atime: new Date(Date.now() - item.lastAccess * 1000) };
  if (item.ttl >= 0) meta.ttl = item.ttl;
  return meta;
}

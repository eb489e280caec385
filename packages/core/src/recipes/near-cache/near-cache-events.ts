import { debuglog } from 'node:util';
import { nearCacheChannel } from '../../diagnostics/diagnostics.ts';

/**
 * What the near cache did for one key, on `dalli:near-cache`: `hit` (served locally), `miss` (read
 * from the server: absent, expired in binary/text, or changed), `unchanged` / `changed` (a meta
 * revalidation found the same CAS, or another), `evicted` (room made for a more requested key),
 * `rejected` (not admitted: asked for less often than what it would evict, or larger than
 * `maxBytes`), `dropped` (a write, delete, touch or invalidation here or on the bus).
 */
export interface NearCacheEventMessage {
  readonly client: object;
  readonly event: NearCacheEvent;
  readonly key: string;
  /** Bytes the near cache accounts for after the event. */
  readonly bytes: number;
}
export type NearCacheEvent = 'hit' | 'miss' | 'unchanged' | 'changed' | 'evicted' | 'rejected' | 'dropped';

/** Counts since the client was made, and what the near cache holds now (`client.nearCacheStats()`). */
export interface NearCacheStats {
  hits: number;
  misses: number;
  /** Meta revalidations that kept the local value (no value crossed the wire). */
  unchanged: number;
  /** Meta revalidations that found another CAS, so the value was read again. */
  changed: number;
  evictions: number;
  rejections: number;
  /** Entries dropped by this client's writes or by the bus. */
  drops: number;
  entries: number;
  bytes: number;
}

let logInstalled = false;

/** `NODE_DEBUG=dalli` logs every near-cache event, as debug-log.ts does for operations. */
export function installNearCacheDebugLog(): void {
  if (logInstalled) return;
  logInstalled = true;
  const log = debuglog('dalli');
  if (!log.enabled || process.env.NODE_DEBUG === undefined) return;
  nearCacheChannel.subscribe((message) => {
    const { event, key, bytes } = message as NearCacheEventMessage;
    log('near cache %s %s (%d bytes held)', event, JSON.stringify(key), bytes);
  });
}

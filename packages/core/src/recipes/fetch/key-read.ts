import type { LeaseRead } from '../../commands/leases.ts';
import type { ReadOptions } from '../../options/operation-options.ts';

/** What one read of a fetched key found, as the fetch strategies act on it. */
export type KeyRead =
  | { readonly found: 'value'; readonly value: unknown; readonly stale: boolean }
  | { readonly found: 'nothing' }
  /** An empty lease stub: a `lock: 'lease'` caller elsewhere is computing the key. */
  | { readonly found: 'stub' }
  /** Meta: this read won the recompute of a stale item (or of a lease stub), or an early refresh. */
  | { readonly found: 'win'; readonly lease: LeaseRead };

export const NOTHING: KeyRead = { found: 'nothing' };
const STUB: KeyRead = { found: 'stub' };

/** The client's reads as a fetch needs them. */
export interface KeyReadStore {
  get(key: string, options?: ReadOptions): Promise<unknown>;
  getMulti(keys: Iterable<string>, options?: ReadOptions): Promise<Map<string, unknown>>;
  /** Meta: `mg … v f c t [N<lockTtl>] [R<recache>]`; undefined on a miss (never with `lockTtl`). */
  leaseGet(
    key: string,
    lockTtl: number | undefined,
    recache: number | undefined,
    options?: ReadOptions,
  ): Promise<LeaseRead | undefined>;
}

/** How a read with the meta lease flags is acted on. */
export function keyReadOf(read: LeaseRead | undefined): KeyRead {
  if (read === undefined) return NOTHING;
  if (read.win) return { found: 'win', lease: read };
  if (read.stub) return STUB;
  return { found: 'value', value: read.value, stale: read.stale };
}

/** What a fetch reads with: the meta flags (and `N` only for `lock: 'lease'`), or a plain get. */
export interface ReadPlan {
  readonly leases: boolean;
  /** The `N` of a lease read; undefined: never create a stub. */
  readonly leaseTtl: number | undefined;
  readonly refreshAhead: number | undefined;
  readonly options: ReadOptions | undefined;
}

export async function readKey(store: KeyReadStore, key: string, plan: ReadPlan): Promise<KeyRead> {
  if (plan.leases) return keyReadOf(await store.leaseGet(key, plan.leaseTtl, plan.refreshAhead, plan.options));
  const value = await store.get(key, plan.options);
  return value === undefined ? NOTHING : { found: 'value', value, stale: false };
}

/** Many keys with a plain multi-get (binary/text): no read takes a win, so nothing needs giving back. */
export async function readPlainKeys(
  store: KeyReadStore,
  keys: readonly string[],
  options: ReadOptions | undefined,
): Promise<Map<string, KeyRead>> {
  const hits = await store.getMulti(keys, options);
  const reads = new Map<string, KeyRead>();
  for (const key of keys)
    reads.set(key, hits.has(key) ? { found: 'value', value: hits.get(key), stale: false } : NOTHING);
  return reads;
}

import type { LeaseRead } from '../commands/leases.ts';
import type { ReadOptions } from '../operation-options.ts';
import type { FetchOptions } from './fetch-options.ts';
import type { LeaseStore } from './lease-fetch.ts';

/** What `computeMissing` may return: the values of the keys it was given (absent: not stored). */
export type ComputedValues = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

/** What fetchMulti needs of the client. */
export interface FetchMultiStore extends LeaseStore {
  getMulti(keys: Iterable<string>, options?: ReadOptions): Promise<Map<string, unknown>>;
  setMulti(entries: Iterable<readonly [string, unknown]>, ttl?: number, options?: FetchOptions): Promise<void>;
  fetch(key: string, ttl: number | undefined, compute: () => unknown, options?: FetchOptions): Promise<unknown>;
}

export interface FetchMultiRun {
  readonly keys: readonly string[];
  readonly ttl: number | undefined;
  readonly computeMissing: (keys: string[]) => ComputedValues | Promise<ComputedValues>;
  readonly options: FetchOptions | undefined;
  readonly lockTtl: number;
  readonly leases: boolean;
}

function computedValue(values: ComputedValues, key: string): unknown {
  if (values instanceof Map) return values.get(key);
  return Object.hasOwn(values, key) ? (values as Record<string, unknown>)[key] : undefined;
}

/**
 * Rails' `fetch_multi`: one multi-get, one `computeMissing` call for the misses, then their
 * writes. In meta, each key is read with a lease: the keys this call wins are computed together
 * and written with their lease CAS; keys another caller is computing are awaited as `fetch` awaits
 * them (a key whose wait times out is computed on its own). Binary and text store with one
 * multi-set, with no cross-process protection.
 */
export async function fetchMulti(store: FetchMultiStore, run: FetchMultiRun): Promise<Map<string, unknown>> {
  const { keys, options } = run;
  const found = new Map<string, unknown>();
  // In meta every key is read with its lease (pipelined, in one write per server): a plain
  // multi-get would take the win of a stale item and report it as a plain hit.
  if (run.leases) await fillWithLeases(store, run, keys, found);
  else {
    for (const [key, value] of await store.getMulti(keys, options)) found.set(key, value);
    const missing = keys.filter((key) => !found.has(key));
    if (missing.length > 0) await fillWithoutLeases(store, run, missing, found);
  }
  const ordered = new Map<string, unknown>();
  for (const key of keys) if (found.has(key)) ordered.set(key, found.get(key));
  return ordered;
}

async function fillWithoutLeases(
  store: FetchMultiStore,
  run: FetchMultiRun,
  missing: string[],
  found: Map<string, unknown>,
): Promise<void> {
  const computed = await run.computeMissing(missing);
  const entries: [string, unknown][] = [];
  for (const key of missing) {
    const value = computedValue(computed, key);
    if (value === undefined) continue;
    entries.push([key, value]);
    found.set(key, value);
  }
  if (entries.length > 0) await store.setMulti(entries, run.ttl, run.options);
}

async function fillWithLeases(
  store: FetchMultiStore,
  run: FetchMultiRun,
  missing: readonly string[],
  found: Map<string, unknown>,
): Promise<void> {
  const reads = await Promise.all(missing.map((key) => store.leaseGet(key, run.lockTtl, undefined, run.options)));
  const won = new Map<string, LeaseRead>();
  const waiting: string[] = [];
  missing.forEach((key, index) => {
    const read = reads[index] as LeaseRead;
    if (read.win && (read.stub || read.stale)) won.set(key, read);
    else if (read.stub) waiting.push(key);
    else found.set(key, read.value);
  });
  if (won.size > 0) await computeWon(store, run, won, found);
  const computeOne = async (key: string): Promise<unknown> => computedValue(await run.computeMissing([key]), key);
  const awaited = await Promise.all(
    waiting.map((key) => store.fetch(key, run.ttl, () => computeOne(key), run.options)),
  );
  waiting.forEach((key, index) => {
    if (awaited[index] !== undefined) found.set(key, awaited[index]);
  });
}

async function computeWon(
  store: FetchMultiStore,
  run: FetchMultiRun,
  won: Map<string, LeaseRead>,
  found: Map<string, unknown>,
): Promise<void> {
  let computed: ComputedValues;
  try {
    computed = await run.computeMissing([...won.keys()]);
  } catch (error) {
    await Promise.allSettled([...won].map(([key, read]) => read.stub && store.delete(key, { cas: read.cas })));
    throw error;
  }
  await Promise.all(
    [...won].map(([key, read]) => {
      const value = computedValue(computed, key);
      if (value === undefined) return read.stub ? store.delete(key, { cas: read.cas }) : undefined;
      found.set(key, value);
      return store.set(key, value, run.ttl, { ...run.options, cas: read.cas });
    }),
  );
}

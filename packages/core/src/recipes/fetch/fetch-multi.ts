import type { LeaseRead } from '../../commands/leases.ts';
import { InvalidArgumentError } from '../../errors.ts';
import type { WriteOptions } from '../../options/operation-options.ts';
import { type FetchLoopStore, fetchLoop, lockKeyOf } from './fetch-loop.ts';
import type { FetchOptions, ResolvedFetchOptions } from './fetch-options.ts';
import type { FetchRun } from './fetch-run.ts';
import { type KeyRead, keyReadOf, type ReadPlan, readPlainKeys } from './key-read.ts';
import { releaseStub } from './lease-fetch.ts';
import type { Claim, SingleFlight } from './single-flight.ts';

/** What `computeMissing` may return: the values of the keys it was given (absent: not stored). */
export type ComputedValues = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

/** What fetchMulti needs of the client. */
export interface FetchMultiStore extends FetchLoopStore {
  setMulti(entries: Iterable<readonly [string, unknown]>, ttl?: number, options?: WriteOptions): Promise<void>;
}

/** One fetchMulti call, its arguments checked. */
export interface FetchMultiRun {
  readonly client: object;
  readonly keys: readonly string[];
  readonly ttl: number | undefined;
  readonly computeMissing: (keys: string[]) => ComputedValues | Promise<ComputedValues>;
  readonly options: FetchOptions | undefined;
  readonly resolved: ResolvedFetchOptions;
  readonly plan: ReadPlan;
}

/**
 * Rails' `fetch_multi` with fetch's guarantees per key. Keys this client is already fetching join
 * that fetch; the others are claimed (so a concurrent fetch or fetchMulti here joins them), read in
 * one batch, and the misses are elected across processes as `fetch` elects them (lock keys taken
 * in one batch, or leases with `lock: 'lease'`). One `computeMissing` call covers every key this
 * call won; keys another process is computing are awaited as `fetch` awaits them (a key whose wait
 * times out is computed on its own). Every lock or stub taken is given back, whatever fails.
 */
export async function fetchMulti(
  store: FetchMultiStore,
  run: FetchMultiRun,
  flights: SingleFlight,
): Promise<Map<string, unknown>> {
  const pending: Promise<unknown>[] = [];
  const claims = new Map<string, Claim>();
  for (const key of run.keys) {
    const joined = flights.join(key);
    // Observed now: if the batch fails first, this promise is never awaited.
    joined?.catch(() => {});
    const claim = joined === undefined ? flights.claim(key) : undefined;
    if (claim !== undefined) claims.set(key, claim);
    pending.push(joined ?? (claim as Claim).promise);
  }
  try {
    await fillClaims(store, run, claims);
  } catch (error) {
    for (const claim of claims.values()) claim.fail(error);
    throw error;
  }
  const values = await Promise.all(pending);
  const result = new Map<string, unknown>();
  run.keys.forEach((key, index) => {
    if (values[index] !== undefined) result.set(key, values[index]);
  });
  return result;
}

async function fillClaims(store: FetchMultiStore, run: FetchMultiRun, claims: Map<string, Claim>): Promise<void> {
  if (claims.size === 0) return;
  const toCompute = new Map<string, LeaseRead | undefined>();
  const misses: string[] = [];
  for (const [key, read] of await readClaimed(store, run, [...claims.keys()])) {
    if (read.found === 'nothing') misses.push(key);
    else act(store, run, claims, toCompute, key, read);
  }
  const locked = run.resolved.lock === 'key' ? await takeLocks(store, run, misses) : [];
  try {
    if (run.resolved.lock === 'key') {
      for (const key of misses) if (!locked.includes(key)) act(store, run, claims, toCompute, key, { found: 'stub' });
      // The previous holder may have written its value and released its lock between our read and add.
      for (const [key, read] of await readClaimed(store, run, locked)) {
        act(store, run, claims, toCompute, key, read.found === 'nothing' ? { found: 'win', lease: undefined } : read);
      }
    } else for (const key of misses) toCompute.set(key, undefined);
    await computeBatch(store, run, claims, toCompute);
  } finally {
    await Promise.all(
      locked.map((key) => store.delete(lockKeyOf(key), { timeout: run.options?.timeout }).catch(() => false)),
    );
  }
}

/** Settles a hit, queues a won key for the batch compute, or awaits another caller's compute. */
function act(
  store: FetchMultiStore,
  run: FetchMultiRun,
  claims: Map<string, Claim>,
  toCompute: Map<string, LeaseRead | undefined>,
  key: string,
  read: KeyRead | { found: 'win'; lease: undefined },
): void {
  const claim = claims.get(key) as Claim;
  if (read.found === 'value') claim.settle(read.value);
  else if (read.found === 'win') toCompute.set(key, read.lease);
  else claim.settle(fetchLoop(store, keyRun(run, key)));
}

/** Reads the claimed keys; in meta, a failed batch gives back the stubs its other reads won. */
async function readClaimed(store: FetchMultiStore, run: FetchMultiRun, keys: string[]): Promise<Map<string, KeyRead>> {
  if (keys.length === 0) return new Map();
  const { plan } = run;
  if (!plan.leases) return readPlainKeys(store, keys, plan.options);
  const settled = await Promise.allSettled(
    keys.map((key) => store.leaseGet(key, plan.leaseTtl, plan.refreshAhead, plan.options)),
  );
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(
      settled.map((result, index) =>
        result.status === 'fulfilled' && result.value?.win && result.value.stub
          ? releaseStub(store, { key: keys[index] as string, options: run.options }, result.value.cas)
          : undefined,
      ),
    );
    throw failed.reason;
  }
  const reads = new Map<string, KeyRead>();
  settled.forEach((result, index) => {
    reads.set(keys[index] as string, keyReadOf((result as PromiseFulfilledResult<LeaseRead | undefined>).value));
  });
  return reads;
}

/** Takes the lock keys of `keys` in one batch; if any add fails, gives back those taken and rethrows. */
async function takeLocks(store: FetchMultiStore, run: FetchMultiRun, keys: string[]): Promise<string[]> {
  const lock = { timeout: run.options?.timeout, raw: true };
  const settled = await Promise.allSettled(keys.map((key) => store.add(lockKeyOf(key), 1, run.resolved.lockTtl, lock)));
  const taken = keys.filter((_, index) => {
    const result = settled[index] as PromiseSettledResult<boolean>;
    return result.status === 'fulfilled' && result.value;
  });
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed === undefined) return taken;
  await Promise.all(taken.map((key) => store.delete(lockKeyOf(key), { timeout: lock.timeout }).catch(() => false)));
  throw failed.reason;
}

/** One `computeMissing` call for every key won, then their writes (CAS under a win, else add / setMulti). */
async function computeBatch(
  store: FetchMultiStore,
  run: FetchMultiRun,
  claims: Map<string, Claim>,
  toCompute: Map<string, LeaseRead | undefined>,
): Promise<void> {
  if (toCompute.size === 0) return;
  let computed: ComputedValues;
  try {
    computed = checkedValues(await run.computeMissing([...toCompute.keys()]));
  } catch (error) {
    await Promise.all(
      [...toCompute].map(([key, lease]) => lease?.stub && releaseStub(store, { key, options: run.options }, lease.cas)),
    );
    throw error;
  }
  const writes: Promise<unknown>[] = [];
  const plain: [string, unknown][] = [];
  for (const [key, lease] of toCompute) {
    const value = computedValue(computed, key);
    claims.get(key)?.settle(value);
    if (value === undefined) {
      if (lease?.stub) writes.push(releaseStub(store, { key, options: run.options }, lease.cas));
    } else if (lease === undefined) plain.push([key, value]);
    else writes.push(casFill(store, run, key, value, lease));
  }
  if (run.resolved.lock === 'key')
    for (const [key, value] of plain) writes.push(store.add(key, value, run.ttl, run.options));
  else if (plain.length > 0) writes.push(store.setMulti(plain, run.ttl, run.options));
  const failed = (await Promise.allSettled(writes)).find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** A won key's write with its read's CAS; a failed write gives back its stub. */
async function casFill(store: FetchMultiStore, run: FetchMultiRun, key: string, value: unknown, lease: LeaseRead) {
  try {
    await store.set(key, value, run.ttl, { ...run.options, cas: lease.cas });
  } catch (error) {
    if (lease.stub) await releaseStub(store, { key, options: run.options }, lease.cas);
    throw error;
  }
}

/** One key awaited as `fetch` awaits it; if it ends up computing, it computes that key alone. */
function keyRun(run: FetchMultiRun, key: string): FetchRun {
  const compute = async (): Promise<unknown> => computedValue(checkedValues(await run.computeMissing([key])), key);
  return {
    client: run.client,
    key,
    ttl: run.ttl,
    compute,
    options: run.options,
    resolved: run.resolved,
    plan: run.plan,
  };
}

function checkedValues(values: unknown): ComputedValues {
  if (values !== null && typeof values === 'object') return values as ComputedValues;
  throw new InvalidArgumentError('computeMissing must return a Map or an object of the computed values', {
    operation: 'fetchMulti',
  });
}

function computedValue(values: ComputedValues, key: string): unknown {
  if (values instanceof Map) return values.get(key);
  return Object.hasOwn(values, key) ? (values as Record<string, unknown>)[key] : undefined;
}

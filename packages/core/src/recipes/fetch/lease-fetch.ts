import type { LeaseRead } from '../../commands/leases.ts';
import type { CasWriteOptions, DeleteOptions } from '../../options/operation-options.ts';
import { type FetchRun, fetchEvent } from './fetch-run.ts';

/** What acting on a meta win needs of the client. */
export interface LeaseStore {
  set(key: string, value: unknown, ttl: number | undefined, options: CasWriteOptions): Promise<boolean>;
  delete(key: string, options: DeleteOptions): Promise<boolean>;
}

/**
 * This read won (`W`) the recompute of a stale item or of a lease stub, or an early recache (`R`).
 * The winner writes with the read's CAS; readers of a refreshing item keep its current value.
 */
export async function leaseWon(store: LeaseStore, run: FetchRun, read: LeaseRead): Promise<unknown> {
  if (!read.stub && !read.stale) {
    // An early recache (R): everyone, this caller included, keeps the current value meanwhile.
    fetchEvent(run, 'refresh');
    void refreshInBackground(store, run, read.cas);
    return read.value;
  }
  fetchEvent(run, 'leaseWon');
  // A stale stub (invalidated before anyone wrote) has no old value to hand out.
  if (read.stale && !read.stub) run.onStaleWin?.(read.value);
  let value: unknown;
  try {
    value = await run.compute();
  } catch (error) {
    fetchEvent(run, 'computeError');
    if (read.stub) await releaseStub(store, run, read.cas);
    throw error;
  }
  if (value === undefined) {
    if (read.stub) await releaseStub(store, run, read.cas);
    return value;
  }
  try {
    await fill(store, run, value, read.cas);
  } catch (error) {
    // A write that failed must not leave the stub for others to wait out lockTtl.
    if (read.stub) await releaseStub(store, run, read.cas);
    throw error;
  }
  return value;
}

/**
 * Writes the winner's value only if the item still carries the lease's CAS: a delete or an
 * invalidation during the compute changed it, and then the (possibly stale) result is not stored.
 */
async function fill(store: LeaseStore, run: FetchRun, value: unknown, cas: bigint): Promise<void> {
  const stored = await store.set(run.key, value, run.ttl, { ...run.options, cas });
  if (!stored) fetchEvent(run, 'fillRefused');
}

/**
 * The compute failed (or gave nothing to store): delete our stub, so waiters in other processes
 * win on their next poll instead of waiting out `lockTtl`. If the delete itself fails, the stub
 * still expires after `lockTtl`; the caller gets the compute's error, which is the one that matters.
 */
export async function releaseStub(
  store: LeaseStore,
  run: Pick<FetchRun, 'key' | 'options'>,
  cas: bigint,
): Promise<void> {
  try {
    await store.delete(run.key, { cas, timeout: run.options?.timeout });
  } catch {
    // Bounded by lockTtl either way; see above.
  }
}

async function refreshInBackground(store: LeaseStore, run: FetchRun, cas: bigint): Promise<void> {
  try {
    const value = await run.compute();
    if (value !== undefined) await fill(store, run, value, cas);
  } catch {
    // Nobody awaits a background refresh: its failure is reported, and the current value stays.
    fetchEvent(run, 'computeError');
  }
}

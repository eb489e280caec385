import type { LeaseRead } from '../commands/leases.ts';
import type { CasWriteOptions, DeleteOptions, ReadOptions } from '../operation-options.ts';
import { backoff } from './backoff.ts';
import { type FetchRun, fetchEvent, waitDeadline, waitTimedOut } from './fetch-run.ts';

/** What a lease fetch needs of the client (meta protocol). */
export interface LeaseStore {
  leaseGet(key: string, lockTtl: number, recache: number | undefined, options?: ReadOptions): Promise<LeaseRead>;
  set(key: string, value: unknown, ttl: number | undefined, options: CasWriteOptions): Promise<boolean>;
  delete(key: string, options: DeleteOptions): Promise<boolean>;
}

/**
 * fetch over memcached leases: `mg … N<lockTtl> [R<refreshAhead>]`. The one reader in the cluster
 * that gets `W` computes and writes with the lease's CAS; readers of a stale or refreshing item get
 * its current value; readers of the empty stub poll with jittered backoff until the value appears,
 * the stub expires (its winner died: the next poll wins) or their deadline passes.
 */
export async function leaseFetch(store: LeaseStore, run: FetchRun): Promise<unknown> {
  const { key, options, resolved } = run;
  const deadline = waitDeadline(run);
  let attempt = 0;
  for (;;) {
    const read = await store.leaseGet(key, resolved.lockTtl, resolved.refreshAhead, options);
    if (read.win) return won(store, run, read);
    if (!read.stub) {
      if (read.stale) fetchEvent(run, 'staleServed');
      return read.value;
    }
    if (attempt === 0) {
      fetchEvent(run, 'leaseLost');
      fetchEvent(run, 'wait');
    }
    if (performance.now() >= deadline) return waitTimedOut(run);
    attempt = await backoff(attempt, deadline, options?.signal);
  }
}

async function won(store: LeaseStore, run: FetchRun, read: LeaseRead): Promise<unknown> {
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
  await fill(store, run, value, read.cas);
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
async function releaseStub(store: LeaseStore, run: FetchRun, cas: bigint): Promise<void> {
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

import type { OperationOptions, WriteOptions } from '../../options/operation-options.ts';
import { backoff } from './backoff.ts';
import { type FetchRun, fetchEvent, waitDeadline, waitTimedOut } from './fetch-run.ts';
import { type KeyReadStore, readKey } from './key-read.ts';
import { type LeaseStore, leaseWon } from './lease-fetch.ts';

/** Everything one fetch calls on the client. */
export interface FetchLoopStore extends KeyReadStore, LeaseStore {
  add(key: string, value: unknown, ttl: number | undefined, options?: WriteOptions): Promise<boolean>;
  delete(key: string, options?: OperationOptions): Promise<boolean>;
}

/** The lock key beside `key`: the key rules (length, namespace, digest) apply to it as to any key. */
export const lockKeyOf = (key: string): string => `${key}:lock`;

/**
 * One fetch of one key, in every dialect and lock mode. Reads the key (in meta with the lease
 * flags, so a stale item or an early recache hands out one win); on a miss, elects the computer
 * by the `add` of a lock key (`lock: true`), or computes at once (`lock: false`). With
 * `lock: 'lease'` the read itself (`N`) elects it and leaves a stub. Losers poll the key with
 * jittered backoff until a value appears, the lock or stub expires (its holder died: the next
 * poll wins) or their deadline passes.
 *
 * The lock is weaker than a lease, and documented so: a delete that lands during the compute of a
 * missing key is not noticed (there is no CAS to write with). Nothing else is written meanwhile,
 * so a client that knows nothing of locks keeps reading a plain miss.
 */
export async function fetchLoop(store: FetchLoopStore, run: FetchRun): Promise<unknown> {
  const deadline = waitDeadline(run);
  let attempt = 0;
  for (;;) {
    const read = await readKey(store, run.key, run.plan);
    if (read.found === 'value') {
      if (read.stale) fetchEvent(run, 'staleServed');
      return read.value;
    }
    if (read.found === 'win') return leaseWon(store, run, read.lease);
    if (read.found === 'nothing' && run.resolved.lock !== 'key') return computeAndAdd(store, run);
    if (read.found === 'nothing' && (await takeLock(store, run))) {
      fetchEvent(run, 'lockWon');
      return computeUnderLock(store, run);
    }
    if (attempt === 0) {
      fetchEvent(run, read.found === 'stub' ? 'leaseLost' : 'lockLost');
      fetchEvent(run, 'wait');
    }
    if (performance.now() >= deadline) return waitTimedOut(run);
    attempt = await backoff(attempt, deadline, run.options?.signal);
  }
}

const takeLock = (store: FetchLoopStore, run: FetchRun): Promise<boolean> =>
  store.add(lockKeyOf(run.key), 1, run.resolved.lockTtl, { timeout: run.options?.timeout, raw: true });

/** Dalli's fetch: compute and `add`, so a value another caller wrote meanwhile is kept. */
async function computeAndAdd(store: FetchLoopStore, run: FetchRun): Promise<unknown> {
  let value: unknown;
  try {
    value = await run.compute();
  } catch (error) {
    fetchEvent(run, 'computeError');
    throw error;
  }
  if (value !== undefined) await store.add(run.key, value, run.ttl, run.options);
  return value;
}

async function computeUnderLock(store: FetchLoopStore, run: FetchRun): Promise<unknown> {
  try {
    // The previous holder may have written the value and released the lock between our read and add.
    const filled = await readKey(store, run.key, run.plan);
    if (filled.found === 'value') return filled.value;
    return await computeAndAdd(store, run);
  } finally {
    // Released on success and on every failure (compute, write), so a waiter elsewhere takes over
    // at its next poll; a lock left behind by a failed delete expires after lockTtl.
    await store.delete(lockKeyOf(run.key), { timeout: run.options?.timeout }).catch(() => false);
  }
}

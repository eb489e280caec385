import type { OperationOptions, ReadOptions, WriteOptions } from '../operation-options.ts';
import { backoff } from './backoff.ts';
import { type FetchRun, fetchEvent, waitDeadline, waitTimedOut } from './fetch-run.ts';

/** What the binary/text lock fallback needs of the client. */
export interface LockStore {
  get(key: string, options?: ReadOptions): Promise<unknown>;
  add(key: string, value: unknown, ttl: number | undefined, options?: WriteOptions): Promise<boolean>;
  delete(key: string, options?: OperationOptions): Promise<boolean>;
}

/** The lock key beside `key`: the key rules (length, namespace, digest) apply to it as to any key. */
export const lockKeyOf = (key: string): string => `${key}:lock`;

/**
 * fetch with a cross-process lock for dialects without leases: on a miss, `add` of a lock key
 * for `lockTtl` seconds elects one computer; the others poll the key with jittered backoff. The
 * winner stores with `add`, as Dalli's fetch does. Weaker than leases, and documented so: a
 * delete that lands during the compute is not noticed, and a plain `get` elsewhere sees a miss.
 */
export async function lockFetch(store: LockStore, run: FetchRun): Promise<unknown> {
  const { key, options, resolved } = run;
  const deadline = waitDeadline(run);
  const lockKey = lockKeyOf(key);
  let attempt = 0;
  for (;;) {
    const cached = await store.get(key, options);
    if (cached !== undefined) return cached;
    if (await store.add(lockKey, 1, resolved.lockTtl, { timeout: options?.timeout, raw: true })) {
      fetchEvent(run, 'lockWon');
      return computeUnderLock(store, run, lockKey);
    }
    if (attempt === 0) {
      fetchEvent(run, 'lockLost');
      fetchEvent(run, 'wait');
    }
    if (performance.now() >= deadline) return waitTimedOut(run);
    attempt = await backoff(attempt, deadline, options?.signal);
  }
}

async function computeUnderLock(store: LockStore, run: FetchRun, lockKey: string): Promise<unknown> {
  try {
    // The previous holder may have written the value and released the lock between our get and add.
    const filled = await store.get(run.key, run.options);
    if (filled !== undefined) return filled;
    const value = await run.compute();
    if (value !== undefined) await store.add(run.key, value, run.ttl, run.options);
    return value;
  } catch (error) {
    fetchEvent(run, 'computeError');
    throw error;
  } finally {
    // A lock left behind by a failed delete expires after lockTtl; the caller's result matters more.
    await store.delete(lockKey, { timeout: run.options?.timeout }).catch(() => false);
  }
}

import { type FetchEvent, fetchChannel, publish } from '../../diagnostics/diagnostics.ts';
import { TimeoutError } from '../../errors.ts';
import type { FetchOptions, ResolvedFetchOptions } from './fetch-options.ts';
import type { ReadPlan } from './key-read.ts';

/** One fetch of one key, as every strategy (lease, lock, plain) sees it. */
export interface FetchRun {
  readonly client: object;
  readonly key: string;
  readonly ttl: number | undefined;
  readonly compute: () => unknown;
  readonly options: FetchOptions | undefined;
  readonly resolved: ResolvedFetchOptions;
  /** How the key is read: meta flags or a plain get, with `N` only under `lock: 'lease'`. */
  readonly plan: ReadPlan;
  /** Called with the old value when this fetch wins the recompute of a stale item. */
  readonly onStaleWin?: ((value: unknown) => void) | undefined;
}

/** Publishes a stampede event on `dalli:fetch` (only while someone listens). */
export function fetchEvent(run: FetchRun, event: FetchEvent): void {
  publish(fetchChannel, () => ({ client: run.client, key: run.key, event }));
}

/** A waiter's deadline passed: compute without storing (the winner still owns the key), or fail. */
export async function waitTimedOut(run: FetchRun): Promise<unknown> {
  fetchEvent(run, 'waitTimeout');
  if (run.resolved.onWaitTimeout === 'throw') {
    throw new TimeoutError(`fetch waited ${run.resolved.waitTimeout} s for another caller to compute the key`, {
      operation: 'fetch',
    });
  }
  return run.compute();
}

/** The `performance.now()` time past which a waiter stops waiting. */
export function waitDeadline(run: FetchRun): number {
  return performance.now() + run.resolved.waitTimeout * 1000;
}

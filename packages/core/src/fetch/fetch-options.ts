import { InvalidArgumentError } from '../errors.ts';
import type { ReadOptions, WriteOptions } from '../operation-options.ts';

/**
 * Options of `fetch` and `fetchMulti`. Concurrent calls for one key in one client share the first
 * caller's compute and options.
 */
export interface FetchOptions extends ReadOptions, WriteOptions {
  /**
   * Seconds a lease (meta) or lock key (`lock` in binary/text) outlives a winner that never writes
   * (it crashed or hung): then another caller takes over. Default 10.
   */
  readonly lockTtl?: number | undefined;
  /** Seconds a caller waits for another process's compute before `onWaitTimeout`. Default: `lockTtl`. */
  readonly waitTimeout?: number | undefined;
  /**
   * What a caller does once `waitTimeout` has passed: `'compute'` runs compute itself (its result
   * is returned, not stored: the lease still belongs to the winner), `'throw'` rejects with a
   * `TimeoutError`. Default `'compute'`.
   */
  readonly onWaitTimeout?: 'compute' | 'throw' | undefined;
  /**
   * Seconds (meta only): when a hit has less TTL left than this, one reader in the cluster
   * recomputes in the background while every caller keeps getting the current value. Default: off.
   */
  readonly refreshAhead?: number | undefined;
  /**
   * Binary and text only: on a miss, take a cross-process lock (`add` of `<key>:lock` for `lockTtl`
   * seconds) so one process computes while the others wait. Meta always uses leases. Default false.
   */
  readonly lock?: boolean | undefined;
}

/** The fetch options with their defaults, checked once per call. */
export interface ResolvedFetchOptions {
  readonly lockTtl: number;
  readonly waitTimeout: number;
  readonly onWaitTimeout: 'compute' | 'throw';
  readonly refreshAhead: number | undefined;
  readonly lock: boolean;
}

const DEFAULT_LOCK_TTL = 10;

export function resolveFetchOptions(options: FetchOptions | undefined, operation: string): ResolvedFetchOptions {
  const lockTtl = options?.lockTtl ?? DEFAULT_LOCK_TTL;
  const waitTimeout = options?.waitTimeout ?? lockTtl;
  const onWaitTimeout = options?.onWaitTimeout ?? 'compute';
  const refreshAhead = options?.refreshAhead;
  const fail = (message: string): never => {
    throw new InvalidArgumentError(message, { operation });
  };
  if (!Number.isInteger(lockTtl) || lockTtl < 1 || lockTtl > 2_592_000)
    fail('lockTtl must be a whole number of seconds from 1 to 2592000');
  if (!(waitTimeout >= 0) || !Number.isFinite(waitTimeout)) fail('waitTimeout must be a number of seconds >= 0');
  if (onWaitTimeout !== 'compute' && onWaitTimeout !== 'throw') fail("onWaitTimeout must be 'compute' or 'throw'");
  if (refreshAhead !== undefined && (!Number.isInteger(refreshAhead) || refreshAhead < 1))
    fail('refreshAhead must be a whole number of seconds >= 1');
  return { lockTtl, waitTimeout, onWaitTimeout, refreshAhead, lock: options?.lock === true };
}

import { InvalidArgumentError } from '../../errors.ts';
import { checkOperationOptions } from '../../options/operation-option-checks.ts';
import type { ReadOptions, WriteOptions } from '../../options/operation-options.ts';

/**
 * Options of `fetch` and `fetchMulti`. Concurrent calls for one key in one client share the first
 * caller's compute and options.
 */
export interface FetchOptions extends ReadOptions, WriteOptions {
  /** Seconds a computed value lives; the client's `expiresIn` when absent. */
  readonly ttl?: number | undefined;
  /**
   * Seconds the lock key (or, with `lock: 'lease'`, the lease stub) outlives a winner that never
   * writes (it crashed or hung): then another caller takes over. Default 10.
   */
  readonly lockTtl?: number | undefined;
  /** Seconds a caller waits for another process's compute before `onWaitTimeout`. Default: `lockTtl`. */
  readonly waitTimeout?: number | undefined;
  /**
   * What a caller does once `waitTimeout` has passed: `'compute'` runs compute itself (its result
   * is returned, not stored: the lock still belongs to the winner), `'throw'` rejects with a
   * `TimeoutError`. Default `'compute'`.
   */
  readonly onWaitTimeout?: 'compute' | 'throw' | undefined;
  /**
   * Seconds (meta only, `fetch` only): when a hit has less TTL left than this, one reader in the
   * cluster recomputes in the background while every caller keeps getting the current value.
   * Default: off.
   */
  readonly refreshAhead?: number | undefined;
  /**
   * How one process in the cluster is elected to compute a missing key:
   * - `true`: an `add` of the sibling key `<key>:lock` for `lockTtl` seconds; the others poll the
   *   key. Nothing but the lock key is written before the value, so clients that know nothing of
   *   locks (Ruby Dalli, memjs, …) keep seeing a plain miss during the compute.
   * - `'lease'` (meta only): memcached's lease (`mg … N`), whose winner writes with the lease's CAS
   *   so a delete during the compute is never overwritten. The key holds an EMPTY stub item during
   *   the compute, which lease-unaware clients read as `""`: only for clusters where every reader
   *   is this library in meta (or otherwise lease-aware).
   * - `false`: no cross-process election (calls in this client are still coalesced per key).
   *
   * Default: `true` in meta, `false` in binary/text (Dalli's get-then-add).
   */
  readonly lock?: boolean | 'lease' | undefined;
}

/** How a fetch elects its computer across processes. */
export type LockMode = 'none' | 'key' | 'lease';

/** The fetch options with their defaults, checked once per call. */
export interface ResolvedFetchOptions {
  readonly lockTtl: number;
  readonly waitTimeout: number;
  readonly onWaitTimeout: 'compute' | 'throw';
  readonly refreshAhead: number | undefined;
  readonly lock: LockMode;
}

/** What the client's protocol offers fetch: memcached's meta flags (stale, win, recache, lease). */
export interface FetchCapabilities {
  readonly leases: boolean;
}

const DEFAULT_LOCK_TTL = 10;

function lockMode(lock: unknown, capabilities: FetchCapabilities, fail: (message: string) => never): LockMode {
  if (lock === undefined) return capabilities.leases ? 'key' : 'none';
  if (lock === true) return 'key';
  if (lock === false) return 'none';
  if (lock !== 'lease') return fail("lock must be true, false or 'lease'");
  if (!capabilities.leases) fail("lock: 'lease' needs memcached's meta protocol (protocol: 'meta')");
  return 'lease';
}

/**
 * Checks every fetch option before the first byte is sent (a lock taken and then refused would
 * hold other processes for `lockTtl`), and resolves their defaults.
 */
export function resolveFetchOptions(
  options: FetchOptions | undefined,
  operation: 'fetch' | 'fetchMulti',
  capabilities: FetchCapabilities,
): ResolvedFetchOptions {
  checkOperationOptions(options, operation);
  const fail = (message: string): never => {
    throw new InvalidArgumentError(message, { operation });
  };
  const lockTtl = options?.lockTtl ?? DEFAULT_LOCK_TTL;
  const waitTimeout = options?.waitTimeout ?? lockTtl;
  const onWaitTimeout = options?.onWaitTimeout ?? 'compute';
  const refreshAhead = options?.refreshAhead;
  if (!Number.isInteger(lockTtl) || lockTtl < 1 || lockTtl > 2_592_000)
    fail('lockTtl must be a whole number of seconds from 1 to 2592000');
  if (typeof waitTimeout !== 'number' || !(waitTimeout >= 0) || !Number.isFinite(waitTimeout))
    fail('waitTimeout must be a number of seconds >= 0');
  if (onWaitTimeout !== 'compute' && onWaitTimeout !== 'throw') fail("onWaitTimeout must be 'compute' or 'throw'");
  if (refreshAhead !== undefined) {
    if (!Number.isInteger(refreshAhead) || refreshAhead < 1)
      fail('refreshAhead must be a whole number of seconds >= 1');
    // Binary and text reads cannot tell how much TTL an item has left, so nothing could trigger it.
    if (!capabilities.leases) fail("refreshAhead needs memcached's meta protocol (protocol: 'meta')");
    if (operation === 'fetchMulti') fail('refreshAhead is a fetch option; fetchMulti does not refresh ahead');
  }
  const lock = lockMode(options?.lock, capabilities, fail);
  return { lockTtl, waitTimeout, onWaitTimeout, refreshAhead, lock };
}

import { keyList } from '../../commands/argument-checks.ts';
import { InvalidArgumentError } from '../../errors.ts';
import { type FetchLoopStore, fetchLoop, lockKeyOf } from './fetch-loop.ts';
import { type ComputedValues, type FetchMultiStore, fetchMulti } from './fetch-multi.ts';
import {
  type FetchCapabilities,
  type FetchOptions,
  type ResolvedFetchOptions,
  resolveFetchOptions,
} from './fetch-options.ts';
import { type FetchRun, fetchEvent } from './fetch-run.ts';
import type { ReadPlan } from './key-read.ts';
import { type Flight, SingleFlight } from './single-flight.ts';

/** Everything fetch and fetchMulti call on the client, and the client's own argument checks. */
export interface FetchStore extends FetchLoopStore, FetchMultiStore {
  /** Throws the client's typed error for a key that cannot be sent. */
  checkKey(key: string, operation: string): void;
  /** Throws the client's typed error for a TTL that cannot be sent. */
  checkTtl(ttl: number | undefined, operation: string): void;
}

/** A fetch's checked options and how it reads. */
interface FetchPlan {
  readonly resolved: ResolvedFetchOptions;
  readonly plan: ReadPlan;
}

/**
 * The client's `fetch` and `fetchMulti`: coalesced per key in this process (every dialect), then
 * elected across processes by a lock key (`lock: true`, the meta default) or a lease
 * (`lock: 'lease'`, meta). Every argument is checked before the first byte: a lock taken and then
 * refused would hold every other process for `lockTtl`.
 */
export class Fetcher {
  readonly #client: object;
  readonly #store: FetchStore;
  readonly #capabilities: FetchCapabilities;
  readonly #flights = new SingleFlight();

  constructor(client: object, store: FetchStore, capabilities: FetchCapabilities) {
    this.#client = client;
    this.#store = store;
    this.#capabilities = capabilities;
  }

  fetch(
    key: string,
    ttl: number | undefined,
    compute: () => unknown,
    options: FetchOptions | undefined,
  ): Promise<unknown> {
    let run: FetchRun;
    try {
      run = { client: this.#client, key, ttl, compute, options, ...this.#check([key], ttl, options, 'fetch') };
    } catch (error) {
      return Promise.reject(error);
    }
    const { promise, joined } = this.#flights.run(key, () => this.#start(run));
    if (joined) fetchEvent(run, 'coalesced');
    return promise;
  }

  fetchMulti(
    keys: Iterable<string>,
    ttl: number | undefined,
    computeMissing: (missing: string[]) => ComputedValues | Promise<ComputedValues>,
    options: FetchOptions | undefined,
  ): Promise<Map<string, unknown>> {
    try {
      if (typeof computeMissing !== 'function') {
        throw new InvalidArgumentError('fetchMulti needs a computeMissing callback', { operation: 'fetchMulti' });
      }
      const list = keyList(keys, 'fetchMulti', true);
      const checked = this.#check(list, ttl, options, 'fetchMulti');
      const run = { client: this.#client, keys: list, ttl, computeMissing, options, ...checked };
      return fetchMulti(this.#store, run, this.#flights);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #check(
    keys: readonly string[],
    ttl: number | undefined,
    options: FetchOptions | undefined,
    operation: 'fetch' | 'fetchMulti',
  ): FetchPlan {
    const resolved = resolveFetchOptions(options, operation, this.#capabilities);
    this.#store.checkTtl(ttl, operation);
    for (const key of keys) {
      this.#store.checkKey(key, operation);
      if (resolved.lock === 'key') this.#store.checkKey(lockKeyOf(key), operation);
    }
    const plan: ReadPlan = {
      leases: this.#capabilities.leases,
      leaseTtl: resolved.lock === 'lease' ? resolved.lockTtl : undefined,
      refreshAhead: resolved.refreshAhead,
      options,
    };
    return { resolved, plan };
  }

  /**
   * Starts the fetch. Callers who join it get its result, or sooner the old value when it won the
   * recompute of a stale item: they need not wait for a recompute that other processes skip.
   */
  #start(run: FetchRun): Flight {
    let serveStale: (value: unknown) => void = () => {};
    const stale = new Promise<unknown>((resolve) => {
      serveStale = resolve;
    });
    return { promise: fetchLoop(this.#store, { ...run, onStaleWin: serveStale }), stale };
  }
}

import { fetchThrough, type ReadModifyWriteClient } from '../commands/read-modify-write.ts';
import type { ProtocolName } from '../protocol/wire-protocol.ts';
import { type FetchOptions, resolveFetchOptions } from './fetch-options.ts';
import { type FetchRun, fetchEvent } from './fetch-run.ts';
import { type LeaseStore, leaseFetch } from './lease-fetch.ts';
import { type LockStore, lockFetch } from './lock-fetch.ts';
import { type Flight, SingleFlight } from './single-flight.ts';

/** Everything the strategies call on the client. */
export type FetchStore = LeaseStore & LockStore & ReadModifyWriteClient;

/**
 * The client's `fetch`: coalesced per key in this process (every dialect), then leases across
 * processes in meta, the `add` lock in binary/text when asked, or Dalli's get-then-add otherwise.
 */
export class Fetcher {
  readonly #client: object;
  readonly #store: FetchStore;
  readonly #protocol: ProtocolName;
  readonly #flights = new SingleFlight();

  constructor(client: object, store: FetchStore, protocol: ProtocolName) {
    this.#client = client;
    this.#store = store;
    this.#protocol = protocol;
  }

  fetch(
    key: string,
    ttl: number | undefined,
    compute: () => unknown,
    options: FetchOptions | undefined,
  ): Promise<unknown> {
    let run: FetchRun;
    try {
      run = { client: this.#client, key, ttl, compute, options, resolved: resolveFetchOptions(options, 'fetch') };
    } catch (error) {
      return Promise.reject(error);
    }
    const { promise, joined } = this.#flights.run(key, () => this.#start(run));
    if (joined) fetchEvent(run, 'coalesced');
    return promise;
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
    return { promise: this.#fetchOnce({ ...run, onStaleWin: serveStale }), stale };
  }

  #fetchOnce(run: FetchRun): Promise<unknown> {
    if (this.#protocol === 'meta') return leaseFetch(this.#store, run);
    if (run.resolved.lock) return lockFetch(this.#store, run);
    return fetchThrough(this.#store, run.key, run.ttl, run.compute, run.options);
  }
}

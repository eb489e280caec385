import type { Dispatcher } from '../../dispatch/dispatcher.ts';
import { InvalidArgumentError } from '../../errors.ts';
import type { ResolvedHotKeyOptions } from '../../options/hot-key-options.ts';
import type { ResolvedNearCacheOptions } from '../../options/near-cache-options.ts';
import type { ReadOptions } from '../../options/operation-options.ts';
import { HotKeyTracker } from '../hot-keys/hot-key-tracker.ts';
import { NearCache } from './near-cache.ts';
import { installNearCacheDebugLog, type NearCacheStats } from './near-cache-events.ts';
import { nearReadIo } from './near-reads.ts';

/**
 * The few points where the client meets the near cache and the hot-key sketch: reads go through
 * `get` / `getMulti` / `fetch`, every write passes its keys to `wrote` (the client's runner picks
 * the call by the descriptor's `near` effect). With both off, `active` is false and the runner
 * takes its own path.
 */
export class ClientNearCache {
  readonly #near: NearCache | undefined;
  readonly #hotKeys: HotKeyTracker | undefined;
  /** The near cache or the hot-key sketch is on: reads and writes must pass here. */
  readonly active: boolean;

  constructor(
    client: object,
    dispatcher: Dispatcher,
    metadata: boolean,
    near: ResolvedNearCacheOptions | undefined,
    hotKeys: ResolvedHotKeyOptions | undefined,
  ) {
    if (near !== undefined) installNearCacheDebugLog();
    const cache = near === undefined ? undefined : new NearCache(client, nearReadIo(dispatcher, metadata), near);
    this.#near = cache;
    this.#hotKeys =
      hotKeys === undefined
        ? undefined
        : new HotKeyTracker(
            client,
            hotKeys,
            (key) => serverOf(dispatcher, key),
            (keys) => cache?.setHot(keys),
          );
    this.active = this.#near !== undefined || this.#hotKeys !== undefined;
  }

  /**
   * A get through the near cache; undefined when the caller is to send it as a plain get: the near
   * cache is off, the read is raw, the caller says `near: false`, or the cache turns the key away.
   */
  get(key: string, options: ReadOptions | undefined): Promise<unknown> | undefined {
    if (typeof key !== 'string') return undefined;
    this.#hotKeys?.observe(key);
    const near = this.#near;
    if (near === undefined) return undefined;
    try {
      if (bypasses(options)) return undefined;
    } catch (error) {
      return Promise.reject(error);
    }
    return near.get(key, options);
  }

  /** fetch: a fresh local value if there is one; else fetch's own reads, leases and writes. */
  fetch(key: string, options: ReadOptions | undefined, run: () => Promise<unknown>): Promise<unknown> {
    const near = this.#near;
    if (near === undefined || typeof key !== 'string') return run();
    try {
      if (bypasses(options)) return run();
    } catch (error) {
      return Promise.reject(error);
    }
    const entry = near.fresh(key);
    return entry === undefined ? run() : Promise.resolve(entry.value);
  }

  /** getMulti: hits served locally, only the others sent (in one batch, by `load` when the near cache is off). */
  getMulti(
    keys: Iterable<string>,
    options: ReadOptions | undefined,
    load: (keys: Iterable<string>) => Promise<Map<string, unknown>>,
  ): Promise<Map<string, unknown>> {
    const near = this.#near;
    const hotKeys = this.#hotKeys;
    // A non-iterable or a non-string key is the dispatcher's to refuse, with its typed error.
    if ((near === undefined && hotKeys === undefined) || typeof keys?.[Symbol.iterator] !== 'function') {
      return load(keys);
    }
    const list = [...keys];
    if (list.some((key) => typeof key !== 'string')) return load(list);
    if (hotKeys !== undefined) for (const key of list) hotKeys.observe(key);
    if (near === undefined) return load(list);
    try {
      if (bypasses(options)) return load(list);
    } catch (error) {
      return Promise.reject(error);
    }
    return near.getMulti(list, options);
  }

  /** A write of `keys` (every key when undefined): dropped locally now and when it settles, and published. */
  wrote<T>(keys: readonly string[] | undefined, write: Promise<T>): Promise<T> {
    return this.#near === undefined ? write : this.#near.wrote(keys, write);
  }

  /** A multi-key write whose keys are known from its results (every key, if it failed). */
  wroteEach<V>(write: Promise<Map<string, V>>): Promise<Map<string, V>> {
    const near = this.#near;
    if (near === undefined) return write;
    const settled = Promise.resolve();
    write.then(
      (results) => near.wrote([...results.keys()], settled),
      () => near.wrote(undefined, settled),
    );
    return write;
  }

  get stats(): NearCacheStats | undefined {
    return this.#near?.stats;
  }

  close(): void {
    this.#near?.close();
    this.#hotKeys?.close();
  }
}

function bypasses(options: ReadOptions | undefined): boolean {
  if (options === undefined || options === null) return false;
  const near = (options as { near?: unknown }).near;
  if (near !== undefined && typeof near !== 'boolean') throw new InvalidArgumentError('near must be true or false');
  return near === false || options.raw !== undefined;
}

function serverOf(dispatcher: Dispatcher, key: string): string | undefined {
  try {
    return dispatcher.cluster.locate(dispatcher.keys.wireKey(key, 'locate')).server;
  } catch {
    return undefined;
  }
}

import { nearCacheChannel, publish } from '../../diagnostics/diagnostics.ts';
import { BatchError } from '../../errors.ts';
import type { InvalidationMessage, ResolvedNearCacheOptions } from '../../options/near-cache-options.ts';
import type { OperationOptions } from '../../options/operation-options.ts';
import { FrequencySketch, hashKey } from './frequency-sketch.ts';
import type { NearCacheEvent, NearCacheEventMessage, NearCacheStats } from './near-cache-events.ts';
import type { NearRead, NearReadIo } from './near-reads.ts';
import { ENTRY_OVERHEAD, type NearEntry, type NearNode, NearStore } from './near-store.ts';

/**
 * EVCache's near cache, with a stated bound: decoded values of requested keys, shared by every
 * caller of one client, each served at most `ttl` after it was read or revalidated. Own writes
 * drop the key at once (and when they settle, so a read that raced the write cannot put the old
 * value back); other processes' writes are seen within `ttl`, or at once with a bus. Misses are not
 * kept: an absent key is asked for every time.
 */
export class NearCache {
  readonly #client: object;
  readonly #io: NearReadIo;
  readonly #options: ResolvedNearCacheOptions;
  readonly #sketch = new FrequencySketch();
  readonly #store: NearStore;
  readonly #now: () => number;
  readonly #stats: NearCacheStats = {
    hits: 0,
    misses: 0,
    unchanged: 0,
    changed: 0,
    evictions: 0,
    rejections: 0,
    drops: 0,
    entries: 0,
    bytes: 0,
  };
  readonly #unsubscribe: (() => void) | undefined;
  #hot: ReadonlySet<string> = new Set();

  constructor(
    client: object,
    io: NearReadIo,
    options: ResolvedNearCacheOptions,
    now: () => number = () => performance.now(),
  ) {
    this.#client = client;
    this.#io = io;
    this.#options = options;
    this.#now = now;
    this.#store = new NearStore(options.maxBytes, this.#sketch, (key, why) => {
      if (why === 'evicted') this.#stats.evictions++;
      else this.#stats.rejections++;
      this.#event(why, key);
    });
    this.#unsubscribe = options.bus?.subscribe((message) => this.#heard(message));
  }

  /**
   * A get: the local value while fresh, else a revalidation (meta) or a read, shared by concurrent
   * callers; undefined for a key the cache turns away, which the caller reads as a plain get (so a
   * get passes no closure in, where most of a uniform workload's keys are turned away).
   */
  get(key: string, options: OperationOptions | undefined): Promise<unknown> | undefined {
    const hash = hashKey(key);
    this.#sketch.record(hash);
    let node = this.#store.get(key, hash);
    if (node !== undefined) {
      if (node.freshUntil > this.#now()) {
        this.#stats.hits++;
        this.#event('hit', key);
        return Promise.resolve(node.value);
      }
    } else {
      if (!this.#store.mayAdmit(hash, this.#isHot(key))) {
        this.#stats.misses++;
        this.#stats.rejections++;
        this.#event('rejected', key);
        return undefined;
      }
      node = this.#store.add(key, hash);
    }
    // A caller's own signal or timeout must govern its own request, so only plain reads are shared.
    const shares = options?.signal === undefined && options?.timeout === undefined;
    if (shares && node.shared !== undefined) return node.shared;
    const reads = ++node.reads;
    const loading = this.#load(node, options, shares);
    // Unless the read already ended, in the call that began it (nothing else runs in between).
    if (shares && node.reads === reads) node.shared = loading;
    return loading;
  }

  /** The entry if it may be served now, without reading anything (fetch). */
  fresh(key: string): NearEntry | undefined {
    const hash = hashKey(key);
    this.#sketch.record(hash);
    const node = this.#store.get(key, hash);
    if (node === undefined || node.freshUntil <= this.#now()) return undefined;
    this.#stats.hits++;
    this.#event('hit', key);
    return node;
  }

  /** getMulti: fresh keys served here, the others in one batch, the result in the order given. */
  async getMulti(keys: readonly string[], options: OperationOptions | undefined): Promise<Map<string, unknown>> {
    const local = new Map<string, unknown>();
    const misses: NearNode[] = [];
    const now = this.#now();
    for (const key of keys) {
      const hash = hashKey(key);
      this.#sketch.record(hash);
      let node = this.#store.get(key, hash);
      if (node !== undefined && node.freshUntil > now) {
        this.#stats.hits++;
        this.#event('hit', key);
        local.set(key, node.value);
        continue;
      }
      node ??= this.#store.add(key, hash);
      node.reads++;
      misses.push(node);
    }
    if (misses.length === 0) return local;
    let fetched: Map<string, NearRead>;
    try {
      fetched = await this.#io.readMulti(
        misses.map((node) => node.key),
        options,
      );
    } catch (error) {
      for (const node of misses) this.#end(node);
      if (error instanceof BatchError && error.results instanceof Map) valuesOf(error.results, local);
      throw error;
    }
    this.#stats.misses += misses.length;
    for (const node of misses) {
      const read = fetched.get(node.key);
      if (read !== undefined) this.#fill(node, read, now);
    }
    for (const node of misses) this.#end(node);
    const results = new Map<string, unknown>();
    for (const key of keys) {
      if (local.has(key)) results.set(key, local.get(key));
      else if (fetched.has(key)) results.set(key, (fetched.get(key) as NearRead).value);
    }
    return results;
  }

  /** Drops `keys` (every key when undefined) now and when `write` settles, then tells the bus. */
  wrote<T>(keys: readonly string[] | undefined, write: Promise<T>): Promise<T> {
    this.#drop(keys);
    const settled = (): void => {
      this.#drop(keys);
      this.#options.bus?.publish(keys === undefined ? { all: true } : { keys });
    };
    write.then(settled, settled);
    return write;
  }

  /** Keys the hot-key sketch reported in its last window: admitted whatever their frequency. */
  setHot(keys: ReadonlySet<string>): void {
    this.#hot = keys;
  }

  get stats(): NearCacheStats {
    return { ...this.#stats, entries: this.#store.size, bytes: this.#store.bytes };
  }

  close(): void {
    this.#unsubscribe?.();
    this.#drop(undefined);
  }

  /** Reads (or revalidates) the key of `node` for the cache; `shared` when it is the node's one shared read. */
  async #load(node: NearNode, options: OperationOptions | undefined, shared: boolean): Promise<unknown> {
    const started = this.#now();
    const key = node.key;
    try {
      if (node.filled && node.cas !== 0n && this.#io.casOf !== undefined) {
        const { value, cas } = node;
        if ((await this.#io.casOf(key, options)) === cas) {
          this.#stats.unchanged++;
          // Still held (no write or drop since) and not refilled by a newer read meanwhile.
          const freshUntil = started + this.#options.ttl;
          if (node.filled && node.cas === cas && node.freshUntil < freshUntil) node.freshUntil = freshUntil;
          this.#event('unchanged', key);
          return value;
        }
        this.#stats.changed++;
        this.#event('changed', key);
      } else {
        this.#stats.misses++;
        this.#event('miss', key);
      }
      const read = await this.#io.read(key, options);
      if (read === undefined) this.#store.remove(node);
      else this.#fill(node, read, started);
      return read?.value;
    } finally {
      // Settled: later callers read afresh.
      if (shared) node.shared = undefined;
      this.#end(node);
    }
  }

  /** The entry is fresh from when its read was sent: the bound counts the round trip. A node no longer held stays empty. */
  #fill(node: NearNode, read: NearRead, started: number): void {
    const bytes = read.bytes + node.key.length * 2 + ENTRY_OVERHEAD;
    this.#store.fill(node, read.value, read.cas, bytes, started + this.#options.ttl, this.#isHot(node.key));
  }

  /** A read of `node` ended: a node no read filled leaves the store (it holds nothing). */
  #end(node: NearNode): void {
    if (--node.reads === 0 && !node.filled) this.#store.remove(node);
  }

  #isHot(key: string): boolean {
    return this.#hot.size !== 0 && this.#hot.has(key);
  }

  #drop(keys: readonly string[] | undefined): void {
    if (keys === undefined) {
      // Reads begun before find their nodes no longer held; new callers make new ones.
      this.#store.clear();
      return;
    }
    for (const key of keys) {
      // A read in flight keeps its node, no longer held: it cannot fill it, and new callers make another.
      if (!this.#store.delete(key, hashKey(key))) continue;
      this.#stats.drops++;
      this.#event('dropped', key);
    }
  }

  #heard(message: InvalidationMessage): void {
    this.#drop('keys' in message ? message.keys : undefined);
  }

  #event(event: NearCacheEvent, key: string): void {
    // Checked here too, so a get with no one listening does not even allocate the message's closure.
    if (!nearCacheChannel.hasSubscribers) return;
    publish(
      nearCacheChannel,
      (): NearCacheEventMessage => ({ client: this.#client, event, key, bytes: this.#store.bytes }),
    );
  }
}

/** A failed batch's partial results hold near reads: the caller gets values, plus the local hits. */
function valuesOf(results: Map<unknown, unknown>, local: Map<string, unknown>): void {
  for (const [key, read] of results) results.set(key, (read as NearRead).value);
  for (const [key, value] of local) results.set(key, value);
}

import { nearCacheChannel, publish } from '../../diagnostics/diagnostics.ts';
import { BatchError } from '../../errors.ts';
import type { InvalidationMessage, ResolvedNearCacheOptions } from '../../options/near-cache-options.ts';
import type { OperationOptions } from '../../options/operation-options.ts';
import { FrequencySketch } from './frequency-sketch.ts';
import type { NearCacheEvent, NearCacheEventMessage, NearCacheStats } from './near-cache-events.ts';
import type { NearRead, NearReadIo } from './near-reads.ts';
import { ENTRY_OVERHEAD, type NearEntry, NearStore } from './near-store.ts';

/**
 * The reads of one key in flight: how many, how often the key was dropped since they began (a read
 * begun before a drop must not fill), and the one plain read that callers without a signal or
 * timeout of their own share. One Map entry per key holds all three, so a miss costs one lookup
 * to begin and one to end.
 */
interface Flight {
  reads: number;
  drops: number;
  shared: Promise<unknown> | undefined;
}
interface Ticket {
  readonly flight: Flight;
  readonly drops: number;
  readonly clears: number;
  /** The read has ended (it may, before its first await, in the call that began it). */
  ended: boolean;
}

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
  readonly #flights = new Map<string, Flight>();
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
  #clears = 0;
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
   * callers; a key the cache would turn away is read by `load`, the client's plain get.
   */
  get(key: string, options: OperationOptions | undefined, load: () => Promise<unknown>): Promise<unknown> {
    this.#sketch.record(key);
    const entry = this.#store.get(key);
    if (entry !== undefined && entry.freshUntil > this.#now()) {
      this.#stats.hits++;
      this.#event('hit', key);
      return Promise.resolve(entry.value);
    }
    if (entry === undefined && !this.#store.mayAdmit(key, this.#hot.has(key))) {
      this.#stats.misses++;
      this.#stats.rejections++;
      this.#event('rejected', key);
      return load();
    }
    // A caller's own signal or timeout must govern its own request, so only plain reads are shared.
    const shares = options?.signal === undefined && options?.timeout === undefined;
    const flight = this.#flightOf(key);
    if (shares && flight.shared !== undefined) return flight.shared;
    const ticket = this.#begin(flight);
    const loading = this.#load(key, entry, options, ticket, shares);
    if (shares && !ticket.ended) flight.shared = loading;
    return loading;
  }

  /** The entry if it may be served now, without reading anything (fetch). */
  fresh(key: string): NearEntry | undefined {
    this.#sketch.record(key);
    const entry = this.#store.get(key);
    if (entry === undefined || entry.freshUntil <= this.#now()) return undefined;
    this.#stats.hits++;
    this.#event('hit', key);
    return entry;
  }

  /** getMulti: fresh keys served here, the others in one batch, the result in the order given. */
  async getMulti(keys: readonly string[], options: OperationOptions | undefined): Promise<Map<string, unknown>> {
    const local = new Map<string, unknown>();
    const misses: string[] = [];
    const now = this.#now();
    for (const key of keys) {
      this.#sketch.record(key);
      const entry = this.#store.get(key);
      if (entry !== undefined && entry.freshUntil > now) {
        this.#stats.hits++;
        this.#event('hit', key);
        local.set(key, entry.value);
      } else misses.push(key);
    }
    if (misses.length === 0) return local;
    const tickets = misses.map((key) => this.#begin(this.#flightOf(key)));
    let fetched: Map<string, NearRead>;
    try {
      fetched = await this.#io.readMulti(misses, options);
    } catch (error) {
      if (error instanceof BatchError && error.results instanceof Map) valuesOf(error.results, local);
      throw error;
    } finally {
      for (const [i, key] of misses.entries()) this.#end(key, tickets[i] as Ticket);
    }
    this.#stats.misses += misses.length;
    misses.forEach((key, i) => {
      const read = fetched.get(key);
      if (read !== undefined && this.#current(tickets[i] as Ticket)) this.#fill(key, read, now);
    });
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

  /** Reads (or revalidates) `key` for the cache; `shared` when it is the flight's one shared read. */
  async #load(
    key: string,
    entry: NearEntry | undefined,
    options: OperationOptions | undefined,
    ticket: Ticket,
    shared: boolean,
  ): Promise<unknown> {
    const started = this.#now();
    try {
      if (entry !== undefined && entry.cas !== 0n && this.#io.casOf !== undefined) {
        const cas = await this.#io.casOf(key, options);
        if (cas === entry.cas) {
          this.#stats.unchanged++;
          if (this.#current(ticket) && this.#store.holds(entry)) entry.freshUntil = started + this.#options.ttl;
          this.#event('unchanged', key);
          return entry.value;
        }
        this.#stats.changed++;
        this.#event('changed', key);
      } else {
        this.#stats.misses++;
        this.#event('miss', key);
      }
      const read = await this.#io.read(key, options);
      if (!this.#current(ticket)) return read?.value;
      if (read === undefined) this.#store.delete(key);
      else this.#fill(key, read, started, entry);
      return read?.value;
    } finally {
      // Settled: later callers read afresh (unless a drop already let go of this read).
      if (shared && this.#current(ticket)) ticket.flight.shared = undefined;
      this.#end(key, ticket);
    }
  }

  /**
   * The entry is fresh from when its read was sent: the bound counts the round trip. `held` is the
   * entry the read replaces, if any: refilled in place while the store still holds it.
   */
  #fill(key: string, read: NearRead, started: number, held?: NearEntry): void {
    const bytes = read.bytes + key.length * 2 + ENTRY_OVERHEAD;
    const entry: NearEntry = {
      value: read.value,
      cas: read.cas,
      bytes,
      freshUntil: started + this.#options.ttl,
    };
    this.#store.refill(key, held, entry, this.#hot.has(key));
  }

  #flightOf(key: string): Flight {
    let flight = this.#flights.get(key);
    if (flight === undefined) {
      flight = { reads: 0, drops: 0, shared: undefined };
      this.#flights.set(key, flight);
    }
    return flight;
  }

  #begin(flight: Flight): Ticket {
    flight.reads++;
    return { flight, drops: flight.drops, clears: this.#clears, ended: false };
  }

  #current(ticket: Ticket): boolean {
    return ticket.flight.drops === ticket.drops && ticket.clears === this.#clears;
  }

  #end(key: string, ticket: Ticket): void {
    ticket.ended = true;
    if (--ticket.flight.reads === 0 && this.#flights.get(key) === ticket.flight) this.#flights.delete(key);
  }

  #drop(keys: readonly string[] | undefined): void {
    if (keys === undefined) {
      this.#clears++;
      this.#store.clear();
      // Reads begun before are told apart by #clears; new callers must not join them.
      this.#flights.clear();
      return;
    }
    for (const key of keys) {
      const flight = this.#flights.get(key);
      if (flight !== undefined) {
        flight.drops++;
        flight.shared = undefined;
      }
      if (!this.#store.delete(key)) continue;
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

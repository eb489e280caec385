import { deleteEntries, readEntries, storeEntries } from './client-batches.ts';
import { runCounter, runFetch, runKeyed, runOnEveryServer, storeValue } from './client-runner.ts';
import { type ClientParts, setUpClient } from './client-setup.ts';
import type { KeyLocation } from './cluster/cluster.ts';
import type { RingDiff } from './cluster/ring-diff.ts';
import type { ServerState } from './cluster/server.ts';
import { DECR, INCR } from './commands/counters.ts';
import { INVALIDATE } from './commands/leases.ts';
import {
  type CasValue,
  GAT,
  GATS,
  GET,
  GET_WITH_METADATA,
  GETS,
  TOUCH,
  type ValueWithMetadata,
} from './commands/reads.ts';
import { FLUSH, NOOP, STATS, VERSION } from './commands/server-commands.ts';
import { ADD, APPEND, DELETE, PREPEND, REPLACE, SET } from './commands/writes.ts';
import { installDebugLog } from './diagnostics/debug-log.ts';
import type { ClientOptions } from './options/client-options.ts';
import type {
  CasOptions,
  CasWriteOptions,
  CounterOptions,
  DeleteOptions,
  InvalidateOptions,
  OperationOptions,
  ReadOptions,
  WriteOptions,
} from './options/operation-options.ts';
import { resolveClientOptions } from './options/resolve-client-options.ts';
import { casLoop, splitTtl } from './recipes/cas-loop.ts';
import type { ComputedValues } from './recipes/fetch/fetch-multi.ts';
import type { FetchOptions } from './recipes/fetch/fetch-options.ts';
import type { NearCacheStats } from './recipes/near-cache/near-cache-events.ts';
import type { RouteStats } from './routing/route-events.ts';

/** Global (`Symbol.for`), so a client made by another installed copy of this package is recognised too. */
const CLIENT_BRAND = Symbol.for('@dalli/core.Client');
type Compute = (missing: string[]) => ComputedValues | Promise<ComputedValues>;
type Update = (value: unknown) => unknown;
type Amount = number | bigint;
type Counter = Promise<bigint | undefined>;
type Values = Promise<Map<string, unknown>>;
type Entries = Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>;

/**
 * A memcached client with Dalli's key, TTL, value and flag rules, so a Node app and a Ruby app
 * using Dalli can share a cluster; it speaks the binary, meta or text protocol (`protocol`). A miss
 * is `undefined`; a refused conditional write is `false`; failures reject with a typed
 * `DalliError`. TTLs are in seconds (the `expiresIn` option when absent; 0 = never expire): the
 * argument after the key and value, or `options.ttl` where a callback or numbers follow.
 *
 * @example
 * const client = new Client('127.0.0.1:11211');
 * await client.set('abc', 123);
 * await client.get('abc'); // 123
 */
export class Client {
  readonly #parts: ClientParts;

  /**
   * True for a client from any copy of `@dalli/core`, where `instanceof` only knows its own copy
   * (an app and an adapter may each resolve one). Adapters use it to accept a shared client.
   */
  static isClient(value: unknown): value is Client {
    return typeof value === 'object' && value !== null && Reflect.get(value, CLIENT_BRAND) === true;
  }

  /**
   * @param servers a server (`host:port`, `[ipv6]:port`, `/path/to.sock`, `user:pass@host:port`,
   *   `memcached://user:pass@host:port` or `memcache://…`) or a list of them;
   *   `MEMCACHE_SERVERS` (comma-separated) or `127.0.0.1:11211` when absent.
   */
  constructor(servers?: string | readonly string[], options?: ClientOptions) {
    installDebugLog();
    this.#parts = setUpClient(this, servers, resolveClientOptions(options));
  }

  /**
   * Makes `servers` the cluster while requests are in flight: requests already sent finish where
   * they went, new ones follow the new ring, a removed server's connection closes once answered,
   * servers kept by name keep their connections. Resolves the ring diff (also published on
   * `dalli:cluster:change`), or undefined when unchanged. Discovery, when on, replaces it later.
   */
  setServers(servers: readonly string[]): Promise<RingDiff | undefined> {
    return this.#parts.membership.apply(servers, 'setServers');
  }

  /** The value stored under `key`, or `undefined` on a miss. */
  get(key: string, options?: ReadOptions): Promise<unknown> {
    return runKeyed(this, this.#parts, GET, key, undefined, undefined, undefined, options);
  }

  /** The value and its CAS token (for a conditional `set`, `replace` or `delete`), or `undefined` on a miss. */
  gets(key: string, options?: ReadOptions): Promise<CasValue | undefined> {
    return runKeyed(this, this.#parts, GETS, key, undefined, undefined, undefined, options);
  }

  /**
   * The value with what the server knows about its item: CAS token, seconds left to live (-1: never
   * expires), whether it was read before, seconds since last access. `undefined` on a miss. Needs a
   * dialect with item metadata (`protocol: 'meta'`); others reject with an `InvalidArgumentError`.
   */
  getWithMetadata(key: string, options?: ReadOptions): Promise<ValueWithMetadata | undefined> {
    return runKeyed(this, this.#parts, GET_WITH_METADATA, key, undefined, undefined, undefined, options);
  }

  /**
   * Stores `value` under `key`. With `options.cas`, only if the item is unchanged since that
   * `gets`. Resolves `true` when stored, `false` when the CAS token no longer matches.
   */
  set(key: string, value: unknown, ttl?: number, options?: CasWriteOptions): Promise<boolean> {
    return storeValue(this, this.#parts, SET, key, value, ttl, options, options?.cas);
  }

  /** Stores `value` only if `key` is absent; resolves `false` if it exists. */
  add(key: string, value: unknown, ttl?: number, options?: WriteOptions): Promise<boolean> {
    return storeValue(this, this.#parts, ADD, key, value, ttl, options, undefined);
  }

  /** Stores `value` only if `key` exists (and, with `options.cas`, is unchanged); resolves `false` otherwise. */
  replace(key: string, value: unknown, ttl?: number, options?: CasWriteOptions): Promise<boolean> {
    return storeValue(this, this.#parts, REPLACE, key, value, ttl, options, options?.cas);
  }

  /** Appends bytes to a raw value; resolves `false` if `key` is absent. Only meaningful for raw values. */
  append(key: string, value: string | Uint8Array, options?: OperationOptions): Promise<boolean> {
    return runKeyed(this, this.#parts, APPEND, key, value, undefined, undefined, options);
  }

  /** Prepends bytes to a raw value; resolves `false` if `key` is absent. Only meaningful for raw values. */
  prepend(key: string, value: string | Uint8Array, options?: OperationOptions): Promise<boolean> {
    return runKeyed(this, this.#parts, PREPEND, key, value, undefined, undefined, options);
  }

  /** Deletes `key` (with `options.cas`, only if unchanged); resolves `false` if it was absent or changed. */
  delete(key: string, options?: DeleteOptions): Promise<boolean> {
    return runKeyed(this, this.#parts, DELETE, key, options?.cas, undefined, undefined, options);
  }

  /**
   * Adds `amount` (default 1) to a counter and resolves its new value. Without `initial`, a missing
   * key resolves `undefined`; with it, the key is created holding `initial` for `ttl` seconds. A
   * dialect without counters-with-initial (text) runs incr, then add on a miss, then incr again if
   * another client added the key first (three requests instead of one, never a wrong value).
   * The older form `incr(key, amount, ttl, initial, options)` still works.
   */
  incr(key: string, amount?: Amount, options?: CounterOptions): Counter;
  incr(key: string, amount?: Amount, ttl?: number, initial?: Amount, options?: OperationOptions): Counter;
  incr(key: string, amount: Amount = 1, ...rest: unknown[]): Counter {
    return runCounter(this, this.#parts, INCR, key, amount, rest);
  }

  /** Subtracts `amount` (default 1), stopping at 0; otherwise as {@link Client.incr}. */
  decr(key: string, amount?: Amount, options?: CounterOptions): Counter;
  decr(key: string, amount?: Amount, ttl?: number, initial?: Amount, options?: OperationOptions): Counter;
  decr(key: string, amount: Amount = 1, ...rest: unknown[]): Counter {
    return runCounter(this, this.#parts, DECR, key, amount, rest);
  }

  /** Sets a new TTL on `key`; resolves `false` if it is absent. */
  touch(key: string, ttl?: number, options?: OperationOptions): Promise<boolean> {
    return runKeyed(this, this.#parts, TOUCH, key, ttl, undefined, undefined, options);
  }

  /** Gets the value and sets a new TTL in one request; `undefined` on a miss. */
  gat(key: string, ttl?: number, options?: ReadOptions): Promise<unknown> {
    return runKeyed(this, this.#parts, GAT, key, ttl, undefined, undefined, options);
  }

  /** gat with the CAS token: the value and its CAS, the TTL set anew in one request; `undefined` on a miss. */
  gats(key: string, ttl?: number, options?: ReadOptions): Promise<CasValue | undefined> {
    return runKeyed(this, this.#parts, GATS, key, ttl, undefined, undefined, options);
  }

  /**
   * Dalli's `cas`: reads the value, passes it to `update`, writes the result (for `options.ttl`
   * seconds) only if nobody changed the item meanwhile, up to `maxAttempts` times. Resolves
   * `undefined` if absent, `true` once written, `false` if every attempt lost the race.
   */
  cas(key: string, update: Update, options?: CasOptions): Promise<boolean | undefined>;
  cas(key: string, ttl: number | undefined, update: Update, options?: CasOptions): Promise<boolean | undefined>;
  async cas(key: string, ...args: unknown[]): Promise<boolean | undefined> {
    return casLoop(this, key, ...splitTtl<Update, CasOptions>(args, 'cas'));
  }

  /**
   * The value under `key`; on a miss, `compute()`'s result, stored for `options.ttl` seconds.
   * Concurrent calls for one key in this client share one read and one compute; across processes,
   * `lock: true` (the default with leases) elects one computer with the lock key `<key>:lock`,
   * `lock: 'lease'` (meta) with memcached's lease stub (read as `""` by lease-unaware clients). With
   * leases, readers of an invalidated item get the old value while one recomputes. Every argument
   * is checked before the first byte; a failure gives the lock back at once; an `undefined` result
   * is returned, not stored. `fetch(key, ttl, compute, options)` still works.
   */
  fetch(key: string, compute: () => unknown, options?: FetchOptions): Promise<unknown>;
  fetch(key: string, ttl: number | undefined, compute: () => unknown, options?: FetchOptions): Promise<unknown>;
  async fetch(key: string, ...args: unknown[]): Promise<unknown> {
    return runFetch(this, this.#parts, key, ...splitTtl<() => unknown, FetchOptions>(args, 'fetch'));
  }

  /**
   * Rails' `fetch_multi`: the values of `keys` (a Map in the given order) from one batch of reads,
   * one `computeMissing(misses)` call and its writes (for `options.ttl` seconds), with `fetch`'s
   * guarantees per key (joined, elected, awaited). Keys `computeMissing` leaves out (or maps to
   * `undefined`) are neither stored nor returned.
   */
  fetchMulti(keys: Iterable<string>, computeMissing: Compute, options?: FetchOptions): Values;
  fetchMulti(keys: Iterable<string>, ttl: number | undefined, computeMissing: Compute, options?: FetchOptions): Values;
  async fetchMulti(keys: Iterable<string>, ...args: unknown[]): Values {
    return this.#parts.fetcher.fetchMulti(keys, ...splitTtl<Compute, FetchOptions>(args, 'fetchMulti'));
  }

  /**
   * Needs leases (meta): marks `key` stale instead of deleting it (`md … I T<grace>`). The next
   * `fetch` wins the recompute; other readers keep getting the old value (`stale: true` in
   * `getWithMetadata`) until it is written, for at most `grace` seconds (the item's own TTL when
   * absent). Resolves `false` if the key was absent.
   */
  invalidate(key: string, options?: InvalidateOptions): Promise<boolean> {
    return runKeyed(this, this.#parts, INVALIDATE, key, options?.grace, undefined, undefined, options);
  }

  /**
   * The values of many keys, one pipelined batch per server: a Map of the hits, keyed as given. If
   * any key fails, rejects with a `BatchError` whose `results` hold the hits that did arrive.
   */
  getMulti(keys: Iterable<string>, options?: ReadOptions): Values {
    return readEntries(this.#parts, keys, options);
  }

  /**
   * Stores many entries (a Map, [key, value] pairs, or an object), one pipelined batch per server.
   * Resolves once all are stored; if any fails, rejects with a `BatchError` naming them.
   */
  setMulti(entries: Entries, ttl?: number, options?: WriteOptions): Promise<void> {
    return storeEntries(this, this.#parts, entries, ttl, options);
  }

  /** Deletes many keys in one pipelined batch per server; resolves a Map of key → `true` (deleted) or `false` (absent). */
  deleteMulti(keys: Iterable<string>, options?: OperationOptions): Promise<Map<string, boolean>> {
    return deleteEntries(this, this.#parts, keys, options);
  }

  /**
   * Invalidates every item on every server. With `delay`, as Dalli: the first server now, the
   * next after `delay` seconds, the next after twice that, and so on. Resolves per server.
   */
  flush(delay = 0, options?: OperationOptions): Promise<Record<string, boolean>> {
    return runOnEveryServer(this, this.#parts, FLUSH, delay, options);
  }

  /** Each server's statistics, by server name: general, or a group such as `settings`, `items`, `slabs`. */
  stats(group?: string, options?: OperationOptions): Promise<Record<string, Record<string, string>>> {
    return runOnEveryServer(this, this.#parts, STATS, group, options);
  }

  /** Each server's memcached version, by server name. */
  version(options?: OperationOptions): Promise<Record<string, string>> {
    return runOnEveryServer(this, this.#parts, VERSION, undefined, options);
  }

  /** Sends a no-op to every server: resolves once all have answered. */
  async noop(options?: OperationOptions): Promise<void> {
    await runOnEveryServer(this, this.#parts, NOOP, undefined, options);
  }

  /** Where `key` lives: wire key, ring hash, the server assigned, and where a request goes now (undefined: none). */
  locate(key: string): KeyLocation {
    return this.#parts.dispatcher.cluster.locate(this.#parts.dispatcher.keys.wireKey(key, 'locate'));
  }

  /** What the near cache did and holds (hits, misses, revalidations, evictions, bytes); undefined when it is off. */
  nearCacheStats(): NearCacheStats | undefined {
    return this.#parts.near.stats;
  }

  /** What the routes did (failovers, journaled keys, shadow mismatches, warm-ups); undefined without `routes`. */
  routeStats(): RouteStats | undefined {
    return this.#parts.dispatcher.router?.events.snapshot();
  }

  /** Each server's health (every pool's, with `routes`): up or down, failures, down since, connected, in flight. */
  servers(): ServerState[] {
    return this.#parts.dispatcher.servers.map((server) => server.state);
  }

  /** Waits for in-flight requests, then closes every connection. Later operations reject with a `ClosedError`. */
  close(): Promise<void> {
    this.#parts.discovery?.stop();
    this.#parts.near.close();
    return this.#parts.dispatcher.close();
  }
}

// On the prototype, out of the declared type: the brand is a runtime mark, not API.
Object.defineProperty(Client.prototype, CLIENT_BRAND, { value: true });

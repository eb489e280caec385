import { entryList } from './argument-checks.ts';
import { Cluster, type KeyLocation } from './cluster/cluster.ts';
import { type RunningDiscovery, startDiscovery } from './cluster/discovery/start-discovery.ts';
import { Membership } from './cluster/membership.ts';
import type { RingDiff } from './cluster/ring-diff.ts';
import { Server, type ServerState } from './cluster/server.ts';
import { serverList } from './cluster/server-list.ts';
import { parseServerEntry, type ServerEntry } from './cluster/server-string.ts';
import { counterWithInitial } from './commands/counter-with-initial.ts';
import { counterCommand, DECR, INCR } from './commands/counters.ts';
import { INVALIDATE, invalidateCommand, LEASE_GET, leaseGetCommand } from './commands/leases.ts';
import {
  deleteMultiKind,
  getMultiKind,
  quietDeleteCommand,
  quietGetCommand,
  quietSetCommand,
  setMultiKind,
} from './commands/multi.ts';
import { casLoop, splitTtl } from './commands/read-modify-write.ts';
import {
  type CasValue,
  GAT,
  GET,
  GET_WITH_METADATA,
  GETS,
  gatCommand,
  getCommand,
  getsCommand,
  getWithMetadataCommand,
  TOUCH,
  touchCommand,
  type ValueWithMetadata,
} from './commands/reads.ts';
import {
  FLUSH,
  flushCommand,
  NOOP,
  noopCommand,
  STATS,
  statsCommand,
  VERSION,
  versionCommand,
} from './commands/server-commands.ts';
import {
  APPEND,
  concatCommand,
  DELETE,
  deleteCommand,
  PREPEND,
  type StoreOperation,
  storeCommand,
  storeSpecs,
} from './commands/writes.ts';
import { installDebugLog } from './debug-log.ts';
import { Dispatcher } from './dispatch/dispatcher.ts';
import { InvalidArgumentError } from './errors.ts';
import type { ComputedValues } from './fetch/fetch-multi.ts';
import type { FetchOptions } from './fetch/fetch-options.ts';
import { Fetcher } from './fetch/fetcher.ts';
import { KeyBuilder } from './keys.ts';
import { localFetch, localForget, localForgetAfter, localRead, localWrite } from './local-cache/local-cache.ts';
import { ClientNearCache } from './near-cache/client-near-cache.ts';
import type { NearCacheStats } from './near-cache/near-cache-events.ts';
import { checkOperationOptions } from './operation-option-checks.ts';
import type {
  CasOptions,
  CasWriteOptions,
  DeleteOptions,
  InvalidateOptions,
  OperationOptions,
  ReadOptions,
  WriteOptions,
} from './operation-options.ts';
import { type ClientOptions, type ResolvedClientOptions, resolveClientOptions } from './options.ts';
import { protocols } from './protocol/protocols.ts';
import type { WireProtocol } from './protocol/wire-protocol.ts';
import { checkServerCount } from './serverless-preset.ts';
import { expirationFor } from './ttl.ts';
import { checkItemSize } from './values/item-size.ts';
import { type EncodedValue, ValueCodec } from './values/value-codec.ts';

/** Replies carry at most the value plus a header, flags and a key (a binary header is 24 bytes). */
const REPLY_OVERHEAD = 24 + 4 + 250;
const STATS_GROUP = /^[a-z_]+( [0-9 ]+)?$/;
/** Global (`Symbol.for`), so a client made by another installed copy of this package is recognised too. */
const CLIENT_BRAND = Symbol.for('@dalli/core.Client');

/**
 * A memcached client speaking the binary protocol with Dalli's key, TTL, value and flag rules, so
 * a Node app and a Ruby app using Dalli can share a cluster. A miss is `undefined`; a refused
 * conditional write is `false`; failures reject with a typed `DalliError`. TTLs are in seconds
 * (the `expiresIn` option when absent; 0 = never expire).
 *
 * @example
 * const client = new Client('127.0.0.1:11211');
 * await client.set('abc', 123);
 * await client.get('abc'); // 123
 */
export class Client {
  readonly #options: ResolvedClientOptions;
  readonly #protocol: WireProtocol;
  readonly #dispatcher: Dispatcher;
  readonly #fetcher: Fetcher;
  readonly #membership: Membership;
  readonly #discovery: RunningDiscovery | undefined;
  readonly #near: ClientNearCache;

  /**
   * True for a client from any copy of `@dalli/core`, where `instanceof` only knows its own copy
   * (an app and an adapter may each resolve one). Adapters use it to accept a shared client.
   */
  static isClient(value: unknown): value is Client {
    return (
      typeof value === 'object' && value !== null && (value as { [CLIENT_BRAND]?: unknown })[CLIENT_BRAND] === true
    );
  }

  /**
   * @param servers a server (`host:port`, `[ipv6]:port`, `/path/to.sock`, `user:pass@host:port`,
   *   `memcached://user:pass@host:port` or `memcache://…`) or a list of them;
   *   `MEMCACHE_SERVERS` (comma-separated) or `127.0.0.1:11211` when absent.
   */
  constructor(servers?: string | readonly string[], options?: ClientOptions) {
    installDebugLog();
    const resolved = resolveClientOptions(options);
    this.#options = resolved;
    const protocol = protocols[resolved.protocol] as WireProtocol;
    this.#protocol = protocol;
    const entries = serverList(servers).map(parseServerEntry);
    checkServerCount(resolved.preset, entries.length);
    const discovered = resolved.discovery !== 'none';
    const members = discovered ? [] : entries.map((entry) => this.#makeServer(entry));
    const cluster = new Cluster(members, resolved.failover, resolved.distribution, resolved.hashTag);
    this.#membership = new Membership(cluster, (entry) => this.#makeServer(entry), this);
    this.#dispatcher = new Dispatcher(cluster, {
      client: this,
      keys: new KeyBuilder(resolved.namespace, resolved.digest),
      codec: new ValueCodec(resolved),
      raw: resolved.raw,
      maxAttempts: resolved.socketMaxFailures,
      retryDelay: resolved.socketFailureDelay * 1000,
      protocol,
      coalesceGets: resolved.coalesceGets,
      proxy: resolved.proxy,
    });
    const meta = resolved.protocol === 'meta';
    this.#near = new ClientNearCache(this, this.#dispatcher, meta, resolved.nearCache, resolved.hotKeys);
    this.#fetcher = new Fetcher(this, this.#fetchStore(), { metaFlags: resolved.protocol === 'meta' });
    this.#discovery = discovered ? startDiscovery(this, entries, cluster, this.#membership, resolved) : undefined;
  }

  /** The client operations fetch is built from, the lease read only fetch uses, and the argument checks. */
  #fetchStore() {
    return {
      get: this.get.bind(this),
      getMulti: this.getMulti.bind(this),
      set: this.set.bind(this),
      setMulti: this.setMulti.bind(this),
      add: this.add.bind(this),
      delete: this.delete.bind(this),
      checkKey: (key: string, operation: string) => void this.#dispatcher.keys.wireKey(key, operation),
      checkTtl: (ttl: number | undefined, operation: string) => void this.#expiration(ttl, operation),
      leaseGet: (key: string, lockTtl: number | undefined, recache: number | undefined, options?: ReadOptions) =>
        this.#dispatcher.keyed(
          LEASE_GET,
          key,
          options,
          (wireKey) => leaseGetCommand(wireKey, lockTtl, recache),
          options?.raw,
        ),
    };
  }

  #makeServer(entry: ServerEntry): Server {
    const resolved = this.#options;
    const login = entry.credentials ?? resolved.credentials;
    return new Server({
      client: this,
      name: entry.name,
      address: entry.address,
      weight: entry.weight,
      protocol: this.#protocol,
      tls: resolved.tls,
      handshake: login === undefined ? undefined : this.#protocol.login(login, entry.name),
      timeout: resolved.socketTimeout * 1000,
      maxBodyLength: resolved.valueMaxBytes + REPLY_OVERHEAD,
      maxFailures: resolved.socketMaxFailures,
      downRetryDelay: resolved.downRetryDelay * 1000,
    });
  }

  /**
   * Makes `servers` the cluster while requests are in flight: requests already sent finish where
   * they went, new ones follow the new ring, a removed server's connection closes once its
   * requests are answered. Servers kept by name keep their connections. Resolves the ring diff
   * (also published on `dalli:cluster:change`), or undefined when the list is the one in use.
   * With discovery on, the next list discovered replaces this one.
   */
  setServers(servers: readonly string[]): Promise<RingDiff | undefined> {
    try {
      checkServerCount(this.#options.preset, Array.isArray(servers) ? servers.length : 0);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#membership.apply(servers, 'setServers');
  }

  /** The value stored under `key`, or `undefined` on a miss. */
  get(key: string, options?: ReadOptions): Promise<unknown> {
    return localRead(this, key, options?.raw, () =>
      this.#near.get(key, options, () => this.#dispatcher.keyed(GET, key, options, getCommand, options?.raw)),
    );
  }

  /** The value and its CAS token (for a conditional `set`, `replace` or `delete`), or `undefined` on a miss. */
  gets(key: string, options?: ReadOptions): Promise<CasValue | undefined> {
    return this.#dispatcher.keyed(GETS, key, options, getsCommand, options?.raw);
  }

  /**
   * The value with what the server knows about its item: CAS token, seconds left to live (-1:
   * never expires), whether it was read before, seconds since it was last accessed. `undefined`
   * on a miss. Needs `protocol: 'meta'`; other dialects reject with an `InvalidArgumentError`.
   */
  getWithMetadata(key: string, options?: ReadOptions): Promise<ValueWithMetadata | undefined> {
    return this.#dispatcher.keyed(GET_WITH_METADATA, key, options, getWithMetadataCommand, options?.raw);
  }

  /**
   * Stores `value` under `key`. With `options.cas`, only if the item is unchanged since that
   * `gets`. Resolves `true` when stored, `false` when the CAS token no longer matches.
   */
  set(key: string, value: unknown, ttl?: number, options?: CasWriteOptions): Promise<boolean> {
    return this.#store('set', key, value, ttl, options, options?.cas);
  }

  /** Stores `value` only if `key` is absent; resolves `false` if it exists. */
  add(key: string, value: unknown, ttl?: number, options?: WriteOptions): Promise<boolean> {
    return this.#store('add', key, value, ttl, options, undefined);
  }

  /** Stores `value` only if `key` exists (and, with `options.cas`, is unchanged); resolves `false` otherwise. */
  replace(key: string, value: unknown, ttl?: number, options?: CasWriteOptions): Promise<boolean> {
    return this.#store('replace', key, value, ttl, options, options?.cas);
  }

  /** Appends bytes to a raw value; resolves `false` if `key` is absent. Only meaningful for raw values. */
  append(key: string, value: string | Uint8Array, options?: OperationOptions): Promise<boolean> {
    const build = (wireKey: string) => concatCommand('append', wireKey, value);
    localForget(this, [key]);
    return this.#near.wrote([key], this.#dispatcher.keyed(APPEND, key, options, build));
  }

  /** Prepends bytes to a raw value; resolves `false` if `key` is absent. Only meaningful for raw values. */
  prepend(key: string, value: string | Uint8Array, options?: OperationOptions): Promise<boolean> {
    const build = (wireKey: string) => concatCommand('prepend', wireKey, value);
    localForget(this, [key]);
    return this.#near.wrote([key], this.#dispatcher.keyed(PREPEND, key, options, build));
  }

  /** Deletes `key` (with `options.cas`, only if unchanged); resolves `false` if it was absent or changed. */
  delete(key: string, options?: DeleteOptions): Promise<boolean> {
    const build = (wireKey: string) => deleteCommand(wireKey, options?.cas);
    localForget(this, [key]);
    return this.#near.wrote([key], this.#dispatcher.keyed(DELETE, key, options, build));
  }

  /**
   * Adds `amount` (default 1) to a counter and resolves its new value. Without `initial`, a missing
   * key resolves `undefined`; with it, the key is created holding `initial` for `ttl` seconds. The
   * text protocol has no initial value: there the client runs incr, then add on a miss, then incr
   * again if another client added the key first (three requests instead of one, never a wrong value).
   */
  incr(
    key: string,
    amount: number | bigint = 1,
    ttl?: number,
    initial?: number | bigint,
    options?: OperationOptions,
  ): Promise<bigint | undefined> {
    return this.#near.wrote([key], this.#counter('incr', INCR, key, amount, ttl, initial, options));
  }

  /** Subtracts `amount` (default 1), stopping at 0; otherwise as {@link Client.incr}. */
  decr(
    key: string,
    amount: number | bigint = 1,
    ttl?: number,
    initial?: number | bigint,
    options?: OperationOptions,
  ): Promise<bigint | undefined> {
    return this.#near.wrote([key], this.#counter('decr', DECR, key, amount, ttl, initial, options));
  }

  /** Sets a new TTL on `key`; resolves `false` if it is absent. */
  touch(key: string, ttl?: number, options?: OperationOptions): Promise<boolean> {
    const build = (wireKey: string) => touchCommand(wireKey, this.#expiration(ttl, 'touch'));
    return this.#near.wrote([key], this.#dispatcher.keyed(TOUCH, key, options, build));
  }

  /** Gets the value and sets a new TTL in one request; `undefined` on a miss. */
  gat(key: string, ttl?: number, options?: ReadOptions): Promise<unknown> {
    const build = (wireKey: string) => gatCommand(wireKey, this.#expiration(ttl, 'gat'));
    return this.#near.wrote([key], this.#dispatcher.keyed(GAT, key, options, build, options?.raw));
  }

  /**
   * Read-modify-write with optimistic locking, as Dalli's `cas`: reads the value, passes it to
   * `update`, and writes the result only if nobody changed the item meanwhile, retrying up to
   * `maxAttempts` times. Resolves `undefined` if the key is absent, `true` once written, `false`
   * if every attempt lost the race.
   */
  cas(key: string, update: (value: unknown) => unknown, options?: CasOptions): Promise<boolean | undefined>;
  cas(
    key: string,
    ttl: number | undefined,
    update: (value: unknown) => unknown,
    options?: CasOptions,
  ): Promise<boolean | undefined>;
  async cas(key: string, ...args: unknown[]): Promise<boolean | undefined> {
    const [ttl, update, options] = splitTtl<(value: unknown) => unknown, CasOptions>(args, 'cas');
    return casLoop(this, key, ttl, update, options);
  }

  /**
   * The value under `key`; on a miss, `compute()`'s result, stored for `ttl` seconds. Protected
   * against stampedes: concurrent calls for one key in this client share one read and one compute
   * (every dialect). Across processes, `lock: true` (the meta default) elects one computer with the
   * lock key `<key>:lock`, invisible to other clients; `lock: 'lease'` (meta) uses memcached's
   * lease stub instead, which lease-unaware clients read as `""`. In meta, readers of an
   * invalidated item get the old value while one recomputes and writes with its CAS. Every
   * argument is checked before the first byte, and a failure gives the lock back at once. An
   * `undefined` result is returned but not stored.
   */
  fetch(key: string, compute: () => unknown, options?: FetchOptions): Promise<unknown>;
  fetch(key: string, ttl: number | undefined, compute: () => unknown, options?: FetchOptions): Promise<unknown>;
  async fetch(key: string, ...args: unknown[]): Promise<unknown> {
    const [ttl, compute, options] = splitTtl<() => unknown, FetchOptions>(args, 'fetch');
    return localFetch(this, key, options?.raw, () =>
      this.#near.fetch(key, options, () => this.#fetcher.fetch(key, ttl, compute, options)),
    );
  }

  /**
   * Rails' `fetch_multi`: the values of `keys` (a Map in the given order), with one batch of reads,
   * one `computeMissing(misses)` call and their writes, and `fetch`'s guarantees per key: keys this
   * client is already fetching are joined, the misses are elected across processes as `fetch`
   * elects them (`lock`), and keys another process is computing are awaited, not recomputed.
   * Keys `computeMissing` leaves out (or maps to `undefined`) are neither stored nor returned.
   */
  fetchMulti(
    keys: Iterable<string>,
    ttl: number | undefined,
    computeMissing: (missing: string[]) => ComputedValues | Promise<ComputedValues>,
    options?: FetchOptions,
  ): Promise<Map<string, unknown>> {
    return this.#fetcher.fetchMulti(keys, ttl, computeMissing, options);
  }

  /**
   * Meta only: marks `key` stale instead of deleting it (`md … I T<grace>`). The next `fetch` wins
   * the recompute; other readers keep getting the old value (`stale: true` in `getWithMetadata`)
   * until it is written, for at most `grace` seconds (the item's own TTL when absent). Resolves
   * `false` if the key was absent.
   */
  async invalidate(key: string, options?: InvalidateOptions): Promise<boolean> {
    const grace = options?.grace === undefined ? undefined : this.#expiration(options.grace, 'invalidate');
    localForget(this, [key]);
    const invalidated = this.#dispatcher.keyed(INVALIDATE, key, options, (wireKey) =>
      invalidateCommand(wireKey, grace),
    );
    return this.#near.wrote([key], invalidated);
  }

  /**
   * The values of many keys: one pipelined batch of GETKQ requests per server, closed by a NOOP.
   * Resolves a Map of the hits, keyed as given; misses are absent. If any key fails, rejects with
   * a `BatchError` whose `results` hold the hits that did arrive.
   */
  getMulti(keys: Iterable<string>, options?: ReadOptions): Promise<Map<string, unknown>> {
    const raw = options?.raw ?? this.#options.raw;
    return this.#near.getMulti(keys, options, (list) =>
      this.#dispatcher.batch(getMultiKind, new Map(), list, options, raw, quietGetCommand),
    );
  }

  /**
   * Stores many entries (a Map, [key, value] pairs, or an object) with quiet SETQ requests closed
   * by a NOOP. Resolves once all are stored; if any fails, rejects with a `BatchError` naming them.
   */
  async setMulti(
    entries: Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>,
    ttl?: number,
    options?: WriteOptions,
  ): Promise<void> {
    checkOperationOptions(options, 'setMulti');
    const expiration = this.#expiration(ttl, 'setMulti');
    const raw = options?.raw ?? this.#options.raw;
    const list = entryList(entries, 'setMulti');
    // Every value is encoded (and checked) before any is sent; large ones compress off the event loop.
    const values = list.map(([, value]) =>
      this.#dispatcher.codec.encodeForWrite(value, raw, options?.compress, 'setMulti'),
    );
    const ready = values.some((value) => value instanceof Promise) ? await Promise.all(values) : values;
    const encoded = new Map(list.map(([key], i) => [key, ready[i] as EncodedValue]));
    localForget(this, encoded.keys());
    const written = this.#dispatcher.batch(setMultiKind, new Map(), encoded.keys(), options, raw, (wireKey, key) => {
      const value = encoded.get(key) as EncodedValue;
      checkItemSize(wireKey, value, this.#options.valueMaxBytes, 'setMulti');
      return quietSetCommand(wireKey, value.bytes, value.flags, expiration);
    });
    await this.#near.wrote([...encoded.keys()], written);
  }

  /** Deletes many keys with quiet DELETEQ requests; resolves a Map of key → `true` (deleted) or `false` (absent). */
  deleteMulti(keys: Iterable<string>, options?: OperationOptions): Promise<Map<string, boolean>> {
    return localForgetAfter(
      this,
      this.#near.wroteEach(
        this.#dispatcher.batch(deleteMultiKind, new Map(), keys, options, false, quietDeleteCommand),
      ),
    );
  }

  /**
   * Invalidates every item on every server. With `delay`, as Dalli: the first server now, the
   * next after `delay` seconds, the next after twice that, and so on. Resolves per server.
   */
  flush(delay = 0, options?: OperationOptions): Promise<Record<string, boolean>> {
    try {
      // Every server's delay is checked before the first flush leaves: the last one is the largest.
      // Past 30 days memcached reads a delay as a Unix time, so it becomes one, as a TTL does.
      expirationFor(delay, 'flush', 'delay');
      expirationFor(delay * Math.max(0, this.#dispatcher.cluster.servers.length - 1), 'flush', 'delay');
    } catch (error) {
      return Promise.reject(error);
    }
    const build = (i: number) => flushCommand(expirationFor(delay * i, 'flush', 'delay'));
    localForget(this, undefined);
    return this.#near.wrote(undefined, this.#dispatcher.everyServer(FLUSH, options, build));
  }

  /** Each server's statistics, by server name: general, or a group such as `settings`, `items`, `slabs`. */
  stats(group?: string, options?: OperationOptions): Promise<Record<string, Record<string, string>>> {
    if (group !== undefined && (typeof group !== 'string' || !STATS_GROUP.test(group))) {
      return Promise.reject(new InvalidArgumentError(`unknown stats group "${String(group)}"`, { operation: 'stats' }));
    }
    const build = () => statsCommand(group);
    return this.#dispatcher.everyServer(STATS, options, build);
  }

  /** Each server's memcached version, by server name. */
  version(options?: OperationOptions): Promise<Record<string, string>> {
    return this.#dispatcher.everyServer(VERSION, options, () => versionCommand);
  }

  /** Sends a NOOP to every server: resolves once all have answered. */
  async noop(options?: OperationOptions): Promise<void> {
    await this.#dispatcher.everyServer(NOOP, options, () => noopCommand);
  }

  /**
   * Where `key` lives: its wire key, its hash on the ring, the server the ring assigns it to, and
   * where a request would go now (a failover server while that one is down, or undefined).
   */
  locate(key: string): KeyLocation {
    return this.#dispatcher.cluster.locate(this.#dispatcher.keys.wireKey(key, 'locate'));
  }

  /** What the near cache did and holds (hits, misses, revalidations, evictions, bytes); undefined when it is off. */
  nearCacheStats(): NearCacheStats | undefined {
    return this.#near.stats;
  }

  /** Each server's health: up or down, consecutive failures, down since, connected, requests in flight. */
  servers(): ServerState[] {
    return this.#dispatcher.cluster.servers.map((server) => server.state);
  }

  /** Waits for in-flight requests, then closes every connection. Later operations reject with a `ClosedError`. */
  close(): Promise<void> {
    this.#discovery?.stop();
    this.#near.close();
    return this.#dispatcher.close();
  }

  /**
   * Encodes the value first: a large one is compressed off the event loop, and the request is
   * only issued (its deadline started) once its bytes are ready.
   */
  #store(
    operation: StoreOperation,
    key: string,
    value: unknown,
    ttl: number | undefined,
    options: WriteOptions | undefined,
    cas: bigint | undefined,
  ): Promise<boolean> {
    let encoded: EncodedValue | Promise<EncodedValue>;
    try {
      checkOperationOptions(options, operation);
      const raw = options?.raw ?? this.#options.raw;
      encoded = this.#dispatcher.codec.encodeForWrite(value, raw, options?.compress, operation);
    } catch (error) {
      return Promise.reject(error);
    }
    const written =
      encoded instanceof Promise
        ? encoded.then((ready) => this.#storeEncoded(operation, key, ready, ttl, options, cas))
        : this.#storeEncoded(operation, key, encoded, ttl, options, cas);
    return localWrite(this, key, value, this.#near.wrote([key], written));
  }

  #storeEncoded(
    operation: StoreOperation,
    key: string,
    encoded: EncodedValue,
    ttl: number | undefined,
    options: WriteOptions | undefined,
    cas: bigint | undefined,
  ): Promise<boolean> {
    const build = (wireKey: string) => {
      checkItemSize(wireKey, encoded, this.#options.valueMaxBytes, operation);
      return storeCommand(operation, wireKey, encoded, this.#expiration(ttl, operation), cas);
    };
    return this.#dispatcher.keyed(storeSpecs[operation], key, options, build);
  }

  #counter(
    operation: 'incr' | 'decr',
    spec: typeof INCR,
    key: string,
    amount: number | bigint,
    ttl: number | undefined,
    initial: number | bigint | undefined,
    options: OperationOptions | undefined,
  ): Promise<bigint | undefined> {
    localForget(this, [key]);
    if (initial !== undefined && this.#protocol.name === 'text') {
      return counterWithInitial(this, operation, key, amount, ttl, initial, options);
    }
    const build = (wireKey: string) =>
      counterCommand(operation, wireKey, amount, initial, () => this.#expiration(ttl, operation));
    return this.#dispatcher.keyed(spec, key, options, build);
  }

  #expiration(ttl: number | undefined, operation: string): number {
    return expirationFor(ttl ?? this.#options.expiresIn, operation);
  }
}

// On the prototype, out of the declared type: the brand is a runtime mark, not API.
Object.defineProperty(Client.prototype, CLIENT_BRAND, { value: true });

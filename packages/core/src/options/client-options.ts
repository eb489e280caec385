import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { Distribution } from '../cluster/rings/build-ring.ts';
import type { KeyDigest } from '../keys/key-builder.ts';
import type { ProxyName } from '../protocol/proxies.ts';
import type { ProtocolName } from '../protocol/wire-protocol.ts';
import type { SaslCredentials } from '../transport/sasl-credentials.ts';
import type { Compressor } from '../values/compressor.ts';
import type { Serializer } from '../values/serializer.ts';
import type { ValueFormat } from '../values/value-format.ts';
import type { HealthOptions, ResolvedHealthOptions } from './health-options.ts';
import type { HotKeyOptions, ResolvedHotKeyOptions } from './hot-key-options.ts';
import type { NearCacheOptions, ResolvedNearCacheOptions } from './near-cache-options.ts';
import type { PoolOptions, RoutesOption } from './route-options.ts';

/** The `preset` values: option sets for a hosting service. */
export const PRESETS = ['serverless'] as const;
export type Preset = (typeof PRESETS)[number];

/**
 * Options of {@link Client}: camelCase versions of Dalli's. All times are in seconds, as in
 * Dalli; fractions are allowed.
 */
export interface ClientOptions {
  /** Prefix for every key, joined with ":" (Dalli's `namespace`). Default: none. */
  readonly namespace?: string | undefined;
  /** Seconds to live for writes that give no TTL; 0 means never expire. Default 0. */
  readonly expiresIn?: number | undefined;
  /**
   * Compress values of at least `compressionMinSize` bytes (flag 0x2). Default true, as Dalli 3.
   * Never with a foreign `valueFormat` writer (its clients cannot inflate): `true` is then an error.
   */
  readonly compress?: boolean | undefined;
  /** Bytes from which a value is compressed, measured after serialization. Default 4096. Not with a foreign `valueFormat` writer. */
  readonly compressionMinSize?: number | undefined;
  /** How non-raw values become bytes (flag 0x1). Default JSON, like Dalli's `serializer: JSON`. */
  readonly serializer?: Serializer | undefined;
  /** How values are compressed. Default zlib deflate, like Dalli's `Dalli::Compressor`. */
  readonly compressor?: Compressor | undefined;
  /**
   * memcached's item size limit (its `-I`, `item_size_max`), in bytes; default 1 MiB, as memcached's.
   * A write whose item would be over it (the value after serialization and compression, plus its key
   * and memcached's 59-byte item header, 63 with flags) is refused with a ValueTooLargeError before
   * it is sent. Set it to the servers' `-I`: the client does not read `stats settings`, which
   * proxies refuse (twemproxy closes the connection) and which would cost a round trip per connection.
   */
  readonly valueMaxBytes?: number | undefined;
  /**
   * Largest value accepted after decompression, in bytes; a stored value that inflates past it fails
   * to read (so a hostile value cannot balloon memory), and a larger one is not written. A getMulti
   * may inflate four times this in all. Default 8 MiB (8 × the default valueMaxBytes).
   */
  readonly decompressedMaxBytes?: number | undefined;
  /** Store and read values as plain strings or bytes, without the serializer. Default false. */
  readonly raw?: boolean | undefined;
  /** Hex digest that shortens keys over 250 bytes (Dalli's `digest_class`). Default MD5. */
  readonly digest?: KeyDigest | undefined;
  /** Seconds a connect, or a request's reply, may take before the request fails with a timeout. Default 1. */
  readonly socketTimeout?: number | undefined;
  /** Consecutive failures (broken connections) before a server is marked down (Dalli's name). Default 2. */
  readonly socketMaxFailures?: number | undefined;
  /**
   * Times a request is tried on its server before it fails (a written non-idempotent request is
   * never resent). Default: `socketMaxFailures`, which counted both before this option existed.
   */
  readonly requestMaxAttempts?: number | undefined;
  /** Seconds to pause before retrying a request whose connection failed. Default 0.1. */
  readonly socketFailureDelay?: number | undefined;
  /**
   * Longest wait, in seconds, between probes of a down server: the first probe comes after 1 s (or
   * this, if shorter), and each failed one doubles the wait up to this. Default 30.
   */
  readonly downRetryDelay?: number | undefined;
  /** Send a down server's keys to another server (Dalli's rehash). Default true; false with `routes`. */
  readonly failover?: boolean | undefined;
  /** Flap memory and ejection for slow or failing servers (see {@link HealthOptions}). Default: flap memory on, ejection off. */
  readonly health?: HealthOptions | undefined;
  /**
   * Most requests one server's connection holds, written and awaiting replies plus queued behind
   * them (a count, each request of a multi-key batch counting once). Past it a request fails at
   * once with an `OverloadedError` instead of queueing: a stalled server costs bounded
   * memory, not an ever longer queue. Default 4096.
   */
  readonly maxQueued?: number | undefined;
  /**
   * Seconds a server's connection may go without a request before it is closed, cleanly: not a
   * failure, and the next request to that server reconnects. Bounds the sockets a large fleet
   * keeps open. 0: never. Default 300.
   */
  readonly idleTimeout?: number | undefined;
  /** SASL PLAIN user, with `password`. Default `MEMCACHE_USERNAME`; none if unset. */
  readonly username?: string | undefined;
  /** SASL PLAIN password, with `username`. Default `MEMCACHE_PASSWORD`. Never logged or shown in errors. */
  readonly password?: string | undefined;
  /**
   * Connect over TLS: `true` for Node's defaults (system CAs, host name checked), or `tls.connect`
   * options (`ca`, `cert`, `key`, `servername`, `rejectUnauthorized`…). Default: plain TCP.
   */
  readonly tls?: boolean | TlsOptions | undefined;
  /**
   * The dialect spoken to every server. `'binary'` (the default, as Dalli 3) is the only one with
   * SASL; `'meta'` (memcached 1.6.18 or later) and `'text'` are what proxies (twemproxy, mcrouter,
   * memcached's proxy) and ElastiCache Serverless accept. Default `'binary'`.
   */
  readonly protocol?: ProtocolName | undefined;
  /**
   * Text protocol only: single `get`s issued in the same tick to one server leave as one
   * `get k1 k2 …` line (memcached answers a long pipeline of one-key gets in many small writes).
   * Each caller still gets its own key's value or miss. Through twemproxy, a line whose keys span a
   * failed backend makes twemproxy close the connection, so every get on that line fails with a
   * `ConnectionError` (retried as usual); set false there to keep errors per key. Default true.
   * Given with another protocol, it is an `InvalidArgumentError`: there it could not take effect.
   */
  readonly coalesceGets?: boolean | undefined;
  /**
   * Which client's key placement to follow, so a cluster shared with (or inherited from) it stays
   * warm: `'dalli'` (Dalli's CRC32 ring), `'ketama'` (libmemcached's weighted ketama: pylibmc
   * `ketama_weighted`, PHP `LIBKETAMA_COMPATIBLE`), `'libmemcached-consistent'` (pylibmc `ketama`),
   * `'twemproxy'` (nutcracker `ketama` + `md5`; `{ name: 'twemproxy', serverNames }` when its config
   * names the servers), `'node-memcached'` (`memcached` 2.x), `'memjs'` (memjs 1.x). Failover stays
   * Dalli's. Default `'dalli'`.
   */
  readonly distribution?: Distribution | undefined;
  /**
   * Routing keys: two delimiters, e.g. `'{}'`; a key holding a non-empty tag between them is placed
   * by the tag alone (`{user:42}:profile` and `{user:42}:cart` on the server of `user:42`), whatever
   * the `distribution`, failover included. The tag is found in the key as sent, namespace included:
   * nutcracker's `hash_tag` rule. Default: none (every key placed by the whole key, as Dalli).
   */
  readonly hashTag?: string | undefined;
  /**
   * Another client's value layout: `'memjs'` or `'memcached'` (2.x) reads and writes it, `{ read, write }`
   * reads one and writes another. Flags that layout does not define read as raw bytes. Default `'dalli'`.
   */
  readonly valueFormat?: ValueFormat | undefined;
  /**
   * Where the server list comes from: `'none'` (the servers given; change them with
   * `client.setServers`), `'config'` (the one server given is an ElastiCache / Memorystore
   * configuration endpoint, asked `config get cluster`), `'dns'` (each server's host name is
   * expanded to one server per address, re-resolved over the DNS protocol), or `'srv'` (each
   * server's name is asked for its `_memcache._tcp.<name>` SRV records: their targets, ports and
   * weights). Default `'none'`.
   */
  readonly discovery?: Discovery | undefined;
  /** Seconds between two reads of the configuration endpoint or DNS. Default 60. Only with `discovery`. */
  readonly discoveryInterval?: number | undefined;
  /**
   * DNS servers for `discovery: 'dns'` or `'srv'` (`'127.0.0.1:5353'`, `'[::1]:53'`, `'10.0.0.2'`…). Default: the
   * system's (from /etc/resolv.conf).
   */
  readonly dnsServers?: readonly string[] | undefined;
  /**
   * Most servers one discovery answer may list (nodes of a configuration endpoint; distinct
   * addresses of all DNS names), 1 to 65,535. An answer listing more is refused whole: the last
   * good list stays and a `DiscoveryLimitError` is published on `dalli:discovery:error` (and is the
   * cause of requests' `NoServerAvailableError` while no list is known), so a runaway or hostile
   * answer cannot stall the process building a huge ring. Only with `discovery`. Default 1000.
   */
  readonly discoveryMaxNodes?: number | undefined;
  /**
   * `'serverless'`: ElastiCache Serverless or another single endpoint that shards behind itself:
   * TLS, `protocol` meta (or text; never binary), no failover, no discovery, exactly one server.
   * Default: none.
   */
  readonly preset?: Preset | undefined;
  /**
   * `'twemproxy'`: the servers are twemproxy (nutcracker) listeners. Sets `protocol` to `'text'`
   * (another is an error) and `coalesceGets` to false unless given, and refuses the commands
   * twemproxy does not know (`stats`, `flush`, `gat`) with an `UnsupportedCommandError` before
   * sending, instead of letting twemproxy hang up on them. Default: none (a memcached server).
   */
  readonly proxy?: ProxyName | undefined;
  /**
   * A near cache across requests: `true` or `{ maxBytes, ttl, bus }` (see {@link NearCacheOptions}).
   * Values are served from memory at most `ttl` (default 1 s) after they were read. Default off.
   */
  readonly nearCache?: NearCacheOptions | boolean | undefined;
  /** Report keys with a large share of a server's requests on `dalli:hotkey`: `true` or {@link HotKeyOptions}. Default off. */
  readonly hotKeys?: HotKeyOptions | boolean | undefined;
  /**
   * More server sets beside the client's own servers (which are the pool `'main'`), by name: a
   * gutter, replicas, another zone, a pool to warm from or shadow to. Only with `routes`.
   */
  readonly pools?: Readonly<Record<string, PoolOptions>> | undefined;
  /**
   * Where each kind of operation goes (see {@link RoutesOption}): failover to a gutter pool with a
   * TTL clamp, replicated writes, fastest or zone-local reads, warm-up, shadow traffic. Default:
   * every operation to the 'main' pool.
   */
  readonly routes?: RoutesOption | undefined;
}

/** The `discovery` modes. */
export const DISCOVERY_MODES = ['none', 'config', 'dns', 'srv'] as const;
export type Discovery = (typeof DISCOVERY_MODES)[number];

/** The client's durations in milliseconds. */
export interface DurationsMs {
  readonly socketTimeout: number;
  readonly socketFailureDelay: number;
  readonly downRetryDelay: number;
  readonly discoveryInterval: number;
  readonly idleTimeout: number;
}

export interface ResolvedClientOptions {
  readonly namespace: string | undefined;
  readonly expiresIn: number;
  readonly compress: boolean;
  readonly compressionMinSize: number;
  readonly serializer: Serializer;
  readonly compressor: Compressor;
  readonly valueMaxBytes: number;
  readonly decompressedMaxBytes: number;
  readonly raw: boolean;
  readonly digest: KeyDigest;
  readonly socketTimeout: number;
  readonly socketMaxFailures: number;
  readonly requestMaxAttempts: number;
  readonly socketFailureDelay: number;
  readonly downRetryDelay: number;
  readonly failover: boolean;
  readonly health: ResolvedHealthOptions;
  readonly maxQueued: number;
  readonly idleTimeout: number;
  /** From `username` and `password` (or the environment), held so the password never shows. */
  readonly credentials: SaslCredentials | undefined;
  readonly tls: TlsOptions | undefined;
  readonly protocol: ProtocolName;
  readonly coalesceGets: boolean;
  readonly distribution: Distribution;
  readonly hashTag: string | undefined;
  readonly valueFormat: ValueFormat;
  readonly discovery: Discovery;
  readonly discoveryInterval: number;
  readonly discoveryMaxNodes: number;
  readonly dnsServers: readonly string[] | undefined;
  readonly preset: Preset | undefined;
  readonly proxy: ProxyName | undefined;
  readonly nearCache: ResolvedNearCacheOptions | undefined;
  readonly hotKeys: ResolvedHotKeyOptions | undefined;
  readonly pools: Readonly<Record<string, PoolOptions>> | undefined;
  readonly routes: RoutesOption | undefined;
  /** The durations above in milliseconds, as every component takes them: converted once, here. */
  readonly ms: DurationsMs;
}

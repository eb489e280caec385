import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { checkDistribution, type Distribution } from './cluster/rings/build-ring.ts';
import { InvalidArgumentError } from './errors.ts';
import { type HotKeyOptions, type ResolvedHotKeyOptions, resolveHotKeyOptions } from './hot-keys/hot-key-options.ts';
import { checkHashTag } from './keys/hash-tag.ts';
import { type KeyDigest, md5KeyDigest } from './keys.ts';
import {
  type NearCacheOptions,
  type ResolvedNearCacheOptions,
  resolveNearCacheOptions,
} from './near-cache/near-cache-options.ts';
import { protocols } from './protocol/protocols.ts';
import type { ProxyName } from './protocol/proxies.ts';
import type { ProtocolName } from './protocol/wire-protocol.ts';
import { applyProxy } from './proxy-option.ts';
import { applyPreset, type Preset } from './serverless-preset.ts';
import { SaslCredentials } from './transport/sasl-credentials.ts';
import { type Compressor, zlibCompressor } from './values/compressor.ts';
import { jsonSerializer, type Serializer } from './values/serializer.ts';
import { checkValueFormat, foreignFormats, type ValueFormat } from './values/value-format.ts';

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
  /** Consecutive failures (broken connections) before a server is marked down; also the attempts a request gets. Default 2. */
  readonly socketMaxFailures?: number | undefined;
  /** Seconds to pause before retrying a request whose connection failed. Default 0.1. */
  readonly socketFailureDelay?: number | undefined;
  /**
   * Longest wait, in seconds, between probes of a down server: the first probe comes after 1 s (or
   * this, if shorter), and each failed one doubles the wait up to this. Default 30.
   */
  readonly downRetryDelay?: number | undefined;
  /** Send a down server's keys to another server (Dalli's rehash). Default true. */
  readonly failover?: boolean | undefined;
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
}

/** The `discovery` modes. */
export const DISCOVERY_MODES = ['none', 'config', 'dns', 'srv'] as const;
export type Discovery = (typeof DISCOVERY_MODES)[number];

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
  readonly socketFailureDelay: number;
  readonly downRetryDelay: number;
  readonly failover: boolean;
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
}

const defaults: ResolvedClientOptions = {
  namespace: undefined,
  expiresIn: 0,
  compress: true,
  compressionMinSize: 4096,
  serializer: jsonSerializer,
  compressor: zlibCompressor,
  valueMaxBytes: 1024 * 1024,
  decompressedMaxBytes: 8 * 1024 * 1024,
  raw: false,
  digest: md5KeyDigest,
  socketTimeout: 1,
  socketMaxFailures: 2,
  socketFailureDelay: 0.1,
  downRetryDelay: 30,
  failover: true,
  credentials: undefined,
  tls: undefined,
  protocol: 'binary',
  coalesceGets: true,
  distribution: 'dalli',
  hashTag: undefined,
  valueFormat: 'dalli',
  discovery: 'none',
  discoveryInterval: 60,
  discoveryMaxNodes: 1000,
  dnsServers: undefined,
  preset: undefined,
  proxy: undefined,
  nearCache: undefined,
  hotKeys: undefined,
};

type Check = (name: string, value: unknown) => void;

const checks: Record<keyof ClientOptions, Check> = {
  namespace: () => {}, // checked where keys are built
  expiresIn: nonNegativeNumber,
  compress: boolean,
  compressionMinSize: nonNegativeInteger,
  serializer: methods('dump', 'load'),
  compressor: methods('compress', 'decompress'),
  valueMaxBytes: positiveInteger,
  decompressedMaxBytes: positiveInteger,
  raw: boolean,
  digest: (name, value) => {
    if (typeof value !== 'function') fail(name, 'must be a function returning a hex digest');
  },
  socketTimeout: (name, value) => {
    nonNegativeNumber(name, value);
    if (value === 0) fail(name, 'must be more than 0 seconds');
  },
  socketMaxFailures: positiveInteger,
  socketFailureDelay: nonNegativeNumber,
  downRetryDelay: nonNegativeNumber,
  failover: boolean,
  username: nonEmptyString,
  password: (name, value) => {
    if (typeof value !== 'string') fail(name, 'must be a string');
  },
  tls: (name, value) => {
    if (typeof value !== 'boolean' && (typeof value !== 'object' || value === null)) {
      fail(name, 'must be true, false or tls.connect options');
    }
  },
  protocol: (name, value) => {
    if (!PROTOCOLS.includes(value as ProtocolName)) fail(name, `must be one of ${PROTOCOLS.join(', ')}`);
  },
  coalesceGets: boolean,
  distribution: (_name, value) => checkDistribution(value),
  hashTag: (_name, value) => checkHashTag(value),
  valueFormat: (_name, value) => checkValueFormat(value),
  discovery: (name, value) => {
    if (!(DISCOVERY_MODES as readonly unknown[]).includes(value))
      fail(name, "must be 'none', 'config', 'dns' or 'srv'");
  },
  discoveryInterval: (name, value) => {
    nonNegativeNumber(name, value);
    if (value === 0) fail(name, 'must be more than 0 seconds');
  },
  discoveryMaxNodes: (name, value) => {
    positiveInteger(name, value);
    // Rings index their servers in 16 bits.
    if ((value as number) > MAX_RING_SERVERS) fail(name, `must be at most ${MAX_RING_SERVERS}`);
  },
  dnsServers: (name, value) => {
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.some((entry) => typeof entry !== 'string' || entry === '')
    ) {
      fail(name, 'must be a non-empty array of DNS server addresses');
    }
  },
  preset: () => {}, // checked, with the options it implies, by applyPreset
  proxy: () => {}, // checked, with the options it implies, by applyProxy
  nearCache: (_name, value) => void resolveNearCacheOptions(value),
  hotKeys: (_name, value) => void resolveHotKeyOptions(value),
};

/** The most servers a ring can place keys on (they are indexed in 16 bits). */
const MAX_RING_SERVERS = 65_535;

const PROTOCOLS: readonly ProtocolName[] = Object.keys(protocols) as ProtocolName[];

/** Fills in defaults; an unknown option or a value of the wrong kind is an error, not a silent no-op. */
export function resolveClientOptions(options: ClientOptions = {}): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  const resolved: Record<string, unknown> = { ...defaults };
  for (const [name, value] of Object.entries(applyProxy(applyPreset(options)))) {
    // Own properties only: "constructor" or "toString" must not find Object.prototype's.
    const check = Object.hasOwn(checks, name) ? checks[name as keyof ClientOptions] : undefined;
    if (check === undefined) throw new InvalidArgumentError(`unknown option "${name}"`);
    if (value === undefined) continue;
    check(name, value);
    resolved[name] = value;
  }
  checkEffect(resolved as unknown as ResolvedClientOptions, applyPreset(options));
  const { username, password, tls, ...rest } = resolved;
  return {
    ...(rest as Omit<ResolvedClientOptions, 'credentials' | 'tls'>),
    nearCache: resolveNearCacheOptions(rest.nearCache),
    hotKeys: resolveHotKeyOptions(rest.hotKeys),
    credentials: credentials(username as string | undefined, password as string | undefined),
    tls: tls === true ? {} : tls === false ? undefined : (tls as TlsOptions | undefined),
  };
}

/**
 * One rule for options that depend on others: an option given where it cannot take effect is an
 * error naming why, never a silent no-op (a user who sets it believes it works).
 */
function checkEffect(resolved: ResolvedClientOptions, given: ClientOptions): void {
  if (given.coalesceGets !== undefined && resolved.protocol !== 'text') {
    fail('coalesceGets', `applies only to protocol 'text' (${resolved.protocol} sends each get as it is)`);
  }
  if (given.discoveryInterval !== undefined && resolved.discovery === 'none') {
    fail('discoveryInterval', "needs discovery: 'config', 'dns' or 'srv' (without discovery nothing is re-read)");
  }
  if (given.discoveryMaxNodes !== undefined && resolved.discovery === 'none') {
    fail('discoveryMaxNodes', "needs discovery: 'config', 'dns' or 'srv' (without discovery no answer is read)");
  }
  if (given.dnsServers !== undefined && resolved.discovery !== 'dns' && resolved.discovery !== 'srv') {
    fail('dnsServers', "is only used with discovery: 'dns' or 'srv'");
  }
  if (foreignFormats(resolved.valueFormat).writer !== undefined) {
    // memjs and memcached 2.x cannot read a compressed value, so those layouts are never compressed.
    if (given.compress === true)
      fail('compress', `cannot apply: valueFormat ${writtenFormat(resolved)} is never compressed`);
    if (given.compressionMinSize !== undefined) {
      fail('compressionMinSize', `cannot apply: valueFormat ${writtenFormat(resolved)} is never compressed`);
    }
  }
}

function writtenFormat({ valueFormat }: ResolvedClientOptions): string {
  return `'${typeof valueFormat === 'object' ? valueFormat.write : valueFormat}'`;
}

/** SASL credentials from the options, else from MEMCACHE_USERNAME and MEMCACHE_PASSWORD (as Dalli). */
function credentials(username: string | undefined, password: string | undefined): SaslCredentials | undefined {
  const user = username ?? process.env.MEMCACHE_USERNAME;
  const secret = password ?? process.env.MEMCACHE_PASSWORD;
  if (user === undefined || user === '') {
    if (secret !== undefined && password !== undefined) fail('password', 'needs a username');
    return undefined;
  }
  if (secret === undefined) fail('username', 'needs a password (option "password" or MEMCACHE_PASSWORD)');
  return new SaslCredentials(user, secret);
}

function fail(name: string, message: string): never {
  throw new InvalidArgumentError(`option "${name}" ${message}`);
}

function nonEmptyString(name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') fail(name, 'must be a non-empty string');
}

function boolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean') fail(name, 'must be true or false');
}

function nonNegativeNumber(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail(name, 'must be a finite number, 0 or more');
}

function nonNegativeInteger(name: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(name, 'must be an integer, 0 or more');
}

function positiveInteger(name: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) fail(name, 'must be a positive integer');
}

function methods(...names: string[]): Check {
  return (name, value) => {
    const target = value as Record<string, unknown> | null;
    if (typeof target !== 'object' || target === null || names.some((method) => typeof target[method] !== 'function')) {
      fail(name, `must be an object with ${names.join(' and ')} methods`);
    }
  };
}

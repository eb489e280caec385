import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { checkDistribution } from '../cluster/rings/build-ring.ts';
import { InvalidArgumentError } from '../errors.ts';
import { checkHashTag } from '../keys/hash-tag.ts';
import { md5KeyDigest } from '../keys/key-builder.ts';
import { dialectsWith, protocols } from '../protocol/protocols.ts';
import type { ProtocolName } from '../protocol/wire-protocol.ts';
import { SaslCredentials } from '../transport/sasl-credentials.ts';
import { zlibCompressor } from '../values/compressor.ts';
import { jsonSerializer } from '../values/serializer.ts';
import { checkValueFormat, foreignFormats } from '../values/value-format.ts';
import { type ClientOptions, DISCOVERY_MODES, type ResolvedClientOptions } from './client-options.ts';
import { DEFAULT_HEALTH, resolveHealthOptions } from './health-options.ts';
import { resolveHotKeyOptions } from './hot-key-options.ts';
import { resolveNearCacheOptions } from './near-cache-options.ts';
import { applyProxy } from './proxy-option.ts';
import { applyPreset } from './serverless-preset.ts';

const defaults: Omit<ResolvedClientOptions, 'ms'> = {
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
  // Filled from socketMaxFailures when not given (see resolveClientOptions).
  requestMaxAttempts: 0,
  socketFailureDelay: 0.1,
  downRetryDelay: 30,
  failover: true,
  health: DEFAULT_HEALTH,
  maxQueued: 4096,
  idleTimeout: 300,
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
  pools: undefined,
  routes: undefined,
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
  requestMaxAttempts: positiveInteger,
  socketFailureDelay: nonNegativeNumber,
  downRetryDelay: nonNegativeNumber,
  failover: boolean,
  health: () => {}, // checked, and its seconds made milliseconds, by resolveHealthOptions
  maxQueued: positiveInteger,
  idleTimeout: nonNegativeNumber,
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
    if (!(DISCOVERY_MODES as readonly unknown[]).includes(value)) {
      fail(name, "must be 'none', 'config', 'dns' or 'srv'");
    }
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
  // Their pools, routes and servers are checked where the routes are compiled.
  pools: (name, value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(name, 'must be an object of pools');
  },
  routes: (name, value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(name, 'must be an object of routes');
  },
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
  const seconds = resolved as { socketTimeout: number; socketFailureDelay: number; downRetryDelay: number };
  return {
    ...(rest as Omit<ResolvedClientOptions, 'credentials' | 'tls' | 'ms'>),
    ms: {
      socketTimeout: seconds.socketTimeout * 1000,
      socketFailureDelay: seconds.socketFailureDelay * 1000,
      downRetryDelay: seconds.downRetryDelay * 1000,
      discoveryInterval: (resolved.discoveryInterval as number) * 1000,
      idleTimeout: (resolved.idleTimeout as number) * 1000,
    },
    requestMaxAttempts: options.requestMaxAttempts ?? (resolved.socketMaxFailures as number),
    // With routes, a route (a gutter, a replica), not a rehash, decides where a dead server's keys go.
    failover: options.routes !== undefined && options.failover === undefined ? false : (resolved.failover as boolean),
    nearCache: resolveNearCacheOptions(rest.nearCache),
    hotKeys: resolveHotKeyOptions(rest.hotKeys),
    health: resolveHealthOptions(options.health),
    credentials: credentials(username as string | undefined, password as string | undefined),
    tls: tls === true ? {} : tls === false ? undefined : (tls as TlsOptions | undefined),
  };
}

/**
 * One rule for options that depend on others: an option given where it cannot take effect is an
 * error naming why, never a silent no-op (a user who sets it believes it works).
 */
function checkEffect(resolved: ResolvedClientOptions, given: ClientOptions): void {
  if (given.coalesceGets !== undefined && protocols[resolved.protocol].capabilities.multiKeyGet === undefined) {
    const where = dialectsWith('multiKeyGet');
    fail('coalesceGets', `applies only to protocol ${where} (${resolved.protocol} sends each get as it is)`);
  }
  if (given.discoveryInterval !== undefined && resolved.discovery === 'none') {
    fail('discoveryInterval', "needs discovery: 'config', 'dns' or 'srv' (without discovery nothing is re-read)");
  }
  if (given.discoveryMaxNodes !== undefined && resolved.discovery === 'none') {
    fail('discoveryMaxNodes', "needs discovery: 'config', 'dns' or 'srv' (without discovery no answer is read)");
  }
  if (given.pools !== undefined && given.routes === undefined) {
    fail('pools', 'needs routes: without a route no request reaches a pool');
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

import { InvalidArgumentError } from '../errors.ts';
import type { SocketAddress } from '../transport/open-socket.ts';
import { SaslCredentials } from '../transport/sasl-credentials.ts';

export const DEFAULT_PORT = 11211;
const DEFAULT_WEIGHT = 1;

/** One server as configured. */
export interface ServerEntry {
  /** `host:port` as written (IPv6 without brackets), or the socket path: the ring hashes this name. */
  readonly name: string;
  readonly address: SocketAddress;
  /** Share of the keys, relative to the other servers' weights. */
  readonly weight: number;
  /** SASL credentials from a `memcached://user:pass@host` or `user:pass@host` entry. */
  readonly credentials?: SaslCredentials | undefined;
}

// Dalli's grammar: host or [ipv6], then optional :port and :weight. Hosts are held to the
// characters DNS names and IPv4 addresses use.
const HOST_PORT_WEIGHT = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]+))(?::(\d+))?(?::(\d+))?$/;
/**
 * `host:port` with the port from 1 to 65535 written without a leading zero: the form nearly every
 * entry of a large fleet has, which {@link parseServerEntry} reads without fail, named as written.
 */
const PLAIN_HOST_PORT = /^[A-Za-z0-9._-]+:(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])$/;
/** The same with a `:weight` (1 to 15 digits, no leading zero: always a safe integer). */
const PLAIN_HOST_PORT_WEIGHT =
  /^[A-Za-z0-9._-]+:(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])(?::[1-9]\d{0,14})?$/;
const SOCKET_WEIGHT = /^(\/[^:]*)(?::(\d+))?$/;
/** Any URI scheme; only memcached:// (Dalli, MemCachier) and memcache:// (jaredwray/memcache) are served. */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const MEMCACHED_SCHEMES = new Set(['memcached', 'memcache']);

const EXPECTED =
  'expected host[:port[:weight]], [ipv6]:port[:weight], /path/to.sock[:weight], user:pass@host[:port] or memcached://user:pass@host[:port]';

/**
 * Parses one server entry: `host`, `host:port`, `host:port:weight`, `[ipv6]:port:weight`,
 * `/path/to.sock`, `/path/to.sock:weight`, `user:pass@host:port` (memjs, MemCachier), or
 * `memcached://user:pass@host:port` / `memcache://…` (any case; user and password
 * percent-decoded). Port defaults to 11211, weight to 1. An entry that does not parse is an error
 * that shows the entry with anything that could be a credential masked.
 */
export function parseServerEntry(entry: string): ServerEntry {
  const text = entry.trim();
  const scheme = SCHEME.exec(text);
  if (scheme !== null) {
    if (!MEMCACHED_SCHEMES.has((scheme[1] as string).toLowerCase())) throw unparsable(entry);
    return parseUri(text.slice(scheme[0].length), entry);
  }
  if (text.startsWith('/')) {
    const match = SOCKET_WEIGHT.exec(text);
    if (match === null) throw unparsable(entry);
    const path = match[1] as string;
    return { name: path, address: { path }, weight: weight(match[2], entry) };
  }
  const at = text.lastIndexOf('@');
  if (at >= 0) {
    // memjs and MemCachier take user and password literally, up to the last '@'.
    const [username, password] = splitUserinfo(text.slice(0, at), entry);
    return { ...hostEntry(text.slice(at + 1), entry, false), credentials: new SaslCredentials(username, password) };
  }
  return hostEntry(text, entry, true);
}

/**
 * Whether `entry` is a plain `host:port` (or, when `weighted`, `host:port[:weight]`):
 * {@link parseServerEntry} reads it without fail, as `{ name: 'host:port', address: { host, port },
 * weight }`, and every placement but memjs's (no weights) can take it. One regex test, nothing made:
 * a fleet's 10,000 entries are checked in the constructor this way.
 */
export function isPlainHostPort(entry: string, weighted = false): boolean {
  return (weighted ? PLAIN_HOST_PORT_WEIGHT : PLAIN_HOST_PORT).test(entry);
}

/** After `memcached://`: optional `user[:pass]@`, then `host[:port]`, then at most a trailing `/`. */
function parseUri(rest: string, entry: string): ServerEntry {
  const at = rest.lastIndexOf('@');
  const hostPart = rest.slice(at + 1).replace(/\/$/, '');
  const server = hostEntry(hostPart, entry, false);
  if (at < 0) return server;
  const [username, password] = splitUserinfo(rest.slice(0, at), entry).map((part) => percentDecoded(part, entry));
  return { ...server, credentials: new SaslCredentials(username as string, password as string) };
}

function hostEntry(text: string, entry: string, weighted: boolean): ServerEntry {
  const match = HOST_PORT_WEIGHT.exec(text);
  if (match === null || (!weighted && match[4] !== undefined)) throw unparsable(entry);
  const host = (match[1] ?? match[2]) as string;
  const port = portNumber(match[3], entry);
  return { name: `${host}:${port}`, address: { host, port }, weight: weight(match[4], entry) };
}

function splitUserinfo(userinfo: string, entry: string): [string, string] {
  const colon = userinfo.indexOf(':');
  const username = colon < 0 ? userinfo : userinfo.slice(0, colon);
  if (username === '') throw unparsable(entry, 'the username before the password is empty');
  return [username, colon < 0 ? '' : userinfo.slice(colon + 1)];
}

function percentDecoded(text: string, entry: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw unparsable(entry, 'the user or password is not valid percent-encoding (write % as %25)');
  }
}

function portNumber(text: string | undefined, entry: string): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw unparsable(entry, 'the port must be 1 to 65535');
  return port;
}

function weight(text: string | undefined, entry: string): number {
  if (text === undefined) return DEFAULT_WEIGHT;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw unparsable(entry, 'the weight must be a positive integer');
  return value;
}

function unparsable(entry: string, why: string = EXPECTED): InvalidArgumentError {
  return new InvalidArgumentError(`cannot parse server "${maskCredentials(entry)}": ${why}`);
}

/**
 * The entry as it may appear in a message: everything up to the last '@' (user and password,
 * whatever they contain) becomes `***`, and so does any part after a ':' that is not a port or a
 * weight, since a list split at a comma inside a password leaves a `user:pass` fragment with no '@'.
 */
export function maskCredentials(entry: string): string {
  const text = entry.trim();
  const scheme = SCHEME.exec(text)?.[0] ?? '';
  let rest = text.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const userinfo = at >= 0 ? '***@' : '';
  rest = rest.slice(at + 1);
  // An [ipv6] host is shown as is; after it, only ports and weights (digits) are.
  const ipv6 = /^\[[0-9a-fA-F:.]*\]/.exec(rest)?.[0] ?? '';
  rest =
    ipv6 +
    rest.slice(ipv6.length).replace(/:([^:]*)/g, (part, segment: string) => (/^\d*$/.test(segment) ? part : ':***'));
  return `${scheme}${userinfo}${rest}`;
}

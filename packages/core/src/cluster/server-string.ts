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
  /** SASL credentials from a `memcached://user:pass@host` entry. */
  readonly credentials?: SaslCredentials | undefined;
}

// Dalli's grammar: host or [ipv6], then optional :port and :weight. Hosts are held to the
// characters DNS names and IPv4 addresses use.
const HOST_PORT_WEIGHT = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]+))(?::(\d+))?(?::(\d+))?$/;
const SOCKET_WEIGHT = /^(\/[^:]*)(?::(\d+))?$/;

/**
 * Parses one server entry: `host`, `host:port`, `host:port:weight`, `[ipv6]:port:weight`,
 * `/path/to.sock`, `/path/to.sock:weight`, or `memcached://user:pass@host:port`. Port defaults to
 * 11211, weight to 1. An entry that does not parse is an error naming it (credentials masked).
 */
export function parseServerEntry(entry: string): ServerEntry {
  const text = entry.trim();
  if (text.startsWith('memcached://')) return parseUri(text);
  if (text.startsWith('/')) {
    const match = SOCKET_WEIGHT.exec(text);
    if (match === null) throw unparsable(entry);
    const path = match[1] as string;
    return { name: path, address: { path }, weight: weight(match[2], entry) };
  }
  const match = HOST_PORT_WEIGHT.exec(text);
  if (match === null) throw unparsable(entry);
  const host = (match[1] ?? match[2]) as string;
  const port = portNumber(match[3], entry);
  return { name: `${host}:${port}`, address: { host, port }, weight: weight(match[4], entry) };
}

function parseUri(text: string): ServerEntry {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw unparsable(text);
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '' || url.hostname === '') {
    throw unparsable(text);
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = portNumber(url.port === '' ? undefined : url.port, text);
  return {
    name: `${host}:${port}`,
    address: { host, port },
    weight: DEFAULT_WEIGHT,
    credentials:
      url.username === ''
        ? undefined
        : new SaslCredentials(decodeURIComponent(url.username), decodeURIComponent(url.password)),
  };
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

function unparsable(entry: string, why?: string): InvalidArgumentError {
  const expected =
    why ??
    'expected host[:port[:weight]], [ipv6]:port[:weight], /path/to.sock[:weight] or memcached://user:pass@host:port';
  return new InvalidArgumentError(`cannot parse server "${maskCredentials(entry)}": ${expected}`);
}

/** Hides the password of a `memcached://user:pass@host` entry, for messages. */
export function maskCredentials(entry: string): string {
  return entry.replace(/^(memcached:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

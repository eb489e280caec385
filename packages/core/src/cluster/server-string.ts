import { InvalidArgumentError } from '../errors.ts';
import type { SocketAddress } from '../transport/open-socket.ts';

export const DEFAULT_PORT = 11211;

export interface ServerEntry {
  /** `host:port` as written (IPv6 without brackets), or the socket path. */
  readonly name: string;
  readonly address: SocketAddress;
}

/** Parses `host`, `host:port`, `[ipv6]:port` or `/path/to.sock`. */
export function parseServerEntry(entry: string): ServerEntry {
  const text = entry.trim();
  if (text.startsWith('/')) return { name: text, address: { path: text } };
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s/[\]]+))(?::(\d{1,5}))?$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? DEFAULT_PORT : Number(match[3]);
  if (host === undefined || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`cannot parse server "${entry}": expected host, host:port, [ipv6]:port or /path`);
  }
  return { name: `${host}:${port}`, address: { host, port } };
}

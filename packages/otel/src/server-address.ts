/** A server name as the client gives it (`host:port`, `[::1]:port`, or a Unix socket path), split. */
export interface ServerAddress {
  readonly address: string;
  /** Absent for a Unix socket. */
  readonly port: number | undefined;
}

const cache = new Map<string, ServerAddress>();

/** Splits a server name once and remembers it (a cluster has few servers, so the cache stays small). */
export function serverAddress(name: string): ServerAddress {
  let split = cache.get(name);
  if (split === undefined) {
    split = parse(name);
    if (cache.size < 1024) cache.set(name, split);
  }
  return split;
}

function parse(name: string): ServerAddress {
  const colon = name.lastIndexOf(':');
  const port = Number(name.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || name.startsWith('/')) return { address: name, port: undefined };
  const host = name.slice(0, colon);
  return { address: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host, port };
}

import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { type DumpedItem, parseMetadumpLine } from './metadump-line.ts';

/** Where a server listens, from its name as the client gives it: `host:port`, `[v6]:port` or a socket path. */
export function serverAddress(name: string): { host: string; port: number } | { path: string } {
  if (name.startsWith('/')) return { path: name };
  const colon = name.lastIndexOf(':');
  const host = name.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(name.slice(colon + 1)) };
}

/** A failure of the dump: the server refused it, went silent, or closed early. */
export class MetadumpError extends Error {
  override readonly name = 'MetadumpError';
}

/**
 * Streams `lru_crawler metadump all` from one server over the text protocol (the binary protocol
 * has no such command), on a connection of its own: memcached refuses to pipeline anything
 * before a metadump. Stops reading, and closes the connection, as soon as the consumer stops.
 */
export async function* metadump(
  server: string,
  tls: ConnectionOptions | undefined,
  idleTimeoutMs: number,
): AsyncGenerator<DumpedItem> {
  const socket = open(server, tls);
  socket.setTimeout(idleTimeoutMs, () =>
    socket.destroy(new MetadumpError(`${server}: no reply for ${idleTimeoutMs} ms`)),
  );
  socket.once('error', () => {}); // surfaced by the line reader below
  socket.write('lru_crawler metadump all\r\n');
  const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
  let ended = false;
  try {
    for await (const line of lines) {
      if (line === 'END') {
        ended = true;
        return;
      }
      const item = parseMetadumpLine(line);
      if (item === undefined) throw new MetadumpError(`${server}: lru_crawler metadump refused: ${line.slice(0, 200)}`);
      yield item;
    }
  } catch (error) {
    throw error instanceof MetadumpError ? error : new MetadumpError(`${server}: ${(error as Error).message}`);
  } finally {
    lines.close();
    socket.destroy();
  }
  if (!ended) throw new MetadumpError(`${server}: the connection closed before the dump ended`);
}

function open(server: string, tls: ConnectionOptions | undefined): Socket {
  const address = serverAddress(server);
  if (tls === undefined) return 'path' in address ? connectTcp(address.path) : connectTcp(address.port, address.host);
  const servername = 'host' in address && isIP(address.host) === 0 ? address.host : undefined;
  return connectTls({ ...tls, ...address, servername });
}

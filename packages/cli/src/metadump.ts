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

/** A failure of the dump: the server refused it or the login, went silent, or closed early. */
export class MetadumpError extends Error {
  override readonly name = 'MetadumpError';
}

/** How to reach a server for a dump. */
export interface MetadumpOptions {
  /** TLS options, or undefined for plain TCP. */
  readonly tls: ConnectionOptions | undefined;
  /** Silence, in milliseconds, after which the dump fails. */
  readonly idleTimeoutMs: number;
  /** The ASCII login (`memcached -Y`) sent before the dump, or undefined for none. */
  readonly login: { readonly username: string; readonly password: string } | undefined;
}

/**
 * Streams `lru_crawler metadump all` from one server over the text protocol (the binary protocol
 * has no such command), on a connection of its own: memcached refuses to pipeline anything
 * before a metadump, so a login is answered before the dump is asked for. Stops reading, and
 * closes the connection, as soon as the consumer stops.
 */
export async function* metadump(server: string, options: MetadumpOptions): AsyncGenerator<DumpedItem> {
  const socket = open(server, options.tls);
  const { idleTimeoutMs } = options;
  socket.setTimeout(idleTimeoutMs, () =>
    socket.destroy(new MetadumpError(`${server}: no reply for ${idleTimeoutMs} ms`)),
  );
  socket.once('error', () => {}); // surfaced by the line reader below
  const reader = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = reader[Symbol.asyncIterator]();
  let ended = false;
  try {
    if (options.login !== undefined) await logIn(server, socket, lines, options.login);
    socket.write('lru_crawler metadump all\r\n');
    for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
      const line = next.value;
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
    reader.close();
    socket.destroy();
  }
  if (!ended) throw new MetadumpError(`${server}: the connection closed before the dump ended`);
}

/**
 * memcached's ASCII authentication (`-Y authfile`): a `set` whose data is `user pass`, its key
 * ignored, answered STORED, or `CLIENT_ERROR …` and a close. The reply, not the credentials, is
 * what an error shows.
 */
async function logIn(
  server: string,
  socket: Socket,
  lines: AsyncIterator<string>,
  login: { readonly username: string; readonly password: string },
): Promise<void> {
  const data = Buffer.from(`${login.username} ${login.password}`, 'utf8');
  socket.write(Buffer.concat([Buffer.from(`set auth 0 0 ${data.length}\r\n`), data, Buffer.from('\r\n')]));
  const reply = await lines.next();
  if (reply.done === true) {
    // memcached -S (SASL) speaks only binary and drops a text connection at its first command.
    throw new MetadumpError(
      `${server}: the connection closed during the ASCII login (a SASL server, -S, cannot be listed)`,
    );
  }
  if (reply.value !== 'STORED') {
    throw new MetadumpError(`${server}: the server refused the ASCII login: ${reply.value.slice(0, 200)}`);
  }
}

function open(server: string, tls: ConnectionOptions | undefined): Socket {
  const address = serverAddress(server);
  if (tls === undefined) return 'path' in address ? connectTcp(address.path) : connectTcp(address.port, address.host);
  const servername = 'host' in address && isIP(address.host) === 0 ? address.host : undefined;
  return connectTls({ ...tls, ...address, servername });
}

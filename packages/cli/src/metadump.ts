import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { ConnectionOptions } from 'node:tls';
import { type DumpedItem, parseMetadumpLine } from './metadump-line.ts';
import { asciiLogin, openTextSocket } from './text-session.ts';

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
  const socket = openTextSocket(server, options.tls);
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

/** The ASCII login before the dump; a failure names the server and the reply, never the password. */
async function logIn(
  server: string,
  socket: Socket,
  lines: AsyncIterator<string>,
  login: { readonly username: string; readonly password: string },
): Promise<void> {
  const failure = await asciiLogin(socket, lines, login);
  if (failure === undefined) return;
  if (failure.closed) {
    throw new MetadumpError(
      `${server}: the connection closed during the ASCII login (a SASL server, -S, cannot be listed)`,
    );
  }
  throw new MetadumpError(`${server}: the server refused the ASCII login: ${failure.reply}`);
}

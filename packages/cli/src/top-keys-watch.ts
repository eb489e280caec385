import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { ConnectionOptions } from 'node:tls';
import { asciiLogin, openTextSocket } from './text-session.ts';

/**
 * The keys one server was asked for, sampled from memcached's own log stream: `watch fetchers`
 * (memcached ≥ 1.5, text protocol). In 1.6.18 (logger.c, items.c) every item fetch (get, gets, gat,
 * touch, mg, binary gets alike) is logged while a watcher listens: no sampling, a few hundred
 * bytes copied under a per-thread mutex per fetch, into a 64 KiB worker buffer
 * (`worker_logbuf_size`) drained by one logger thread into a 256 KiB buffer per watcher
 * (`watcher_logbuf_size`). What does not fit is dropped and counted, never blocking a worker; the
 * watcher is told with a `skipped=N` line. With no watcher, the cost is one flag test per fetch.
 * So a sample costs the server little only while it lasts: this connection closes after `durationMs`.
 */
export interface KeySample {
  readonly server: string;
  /** Fetches seen in the sample. */
  readonly fetches: number;
  /** Fetches memcached dropped from the stream (its buffers were full): the counts are a sample of the rest. */
  readonly skipped: number;
  /** The most fetched keys, most first, with their share of `fetches`. */
  readonly keys: readonly { readonly key: string; readonly fetches: number; readonly share: number }[];
}

/** The server refused the watch, the login, or closed the connection. */
export class WatchError extends Error {
  override readonly name = 'WatchError';
}

export interface WatchOptions {
  readonly tls: ConnectionOptions | undefined;
  /** The ASCII login (`memcached -Y`) sent before the watch, or undefined for none. */
  readonly login: { readonly username: string; readonly password: string } | undefined;
  /** Milliseconds to wait for the server's first answers. */
  readonly timeoutMs: number;
}

/** `ts=… gid=… type=item_get key=<uri-encoded> status=… …` */
const ITEM_GET = /^ts=\S+ gid=\d+ type=item_get key=(\S+) /;
const SKIPPED = /^skipped=(\d+)$/;

/** Watches `server`'s fetches for `durationMs` and returns its `limit` most fetched keys. */
export async function sampleFetchedKeys(
  server: string,
  options: WatchOptions,
  durationMs: number,
  limit: number,
): Promise<KeySample> {
  const socket = openTextSocket(server, options.tls);
  socket.setTimeout(options.timeoutMs, () =>
    // memcached -S reads a text command as a partial binary header, and so stays silent.
    socket.destroy(new WatchError(`no reply for ${options.timeoutMs} ms (a SASL server, -S, speaks only binary)`)),
  );
  socket.once('error', () => {}); // surfaced by the line reader below
  const reader = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = reader[Symbol.asyncIterator]();
  const counts = new Map<string, number>();
  let fetches = 0;
  let skipped = 0;
  try {
    if (options.login !== undefined) await logIn(socket, lines, options.login);
    socket.write('watch fetchers\r\n');
    const answer = await lines.next();
    if (answer.done === true) throw new WatchError(refusal(undefined, options.login !== undefined));
    if (answer.value !== 'OK') throw new WatchError(refusal(answer.value, options.login !== undefined));
    socket.setTimeout(0);
    // Closing the reader ends the line loop (a destroyed socket ends no readline: it emits no 'end').
    const timer = setTimeout(() => reader.close(), durationMs);
    for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
      const line = next.value;
      const get = ITEM_GET.exec(line);
      if (get !== null) {
        fetches++;
        const key = decodeKey(get[1] as string);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      } else {
        const skip = SKIPPED.exec(line);
        if (skip !== null) skipped += Number(skip[1]);
      }
    }
    clearTimeout(timer);
  } catch (error) {
    throw error instanceof WatchError ? error : new WatchError((error as Error).message);
  } finally {
    reader.close();
    socket.destroy();
  }
  const keys = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, count]) => ({ key, fetches: count, share: count / fetches }));
  return { server, fetches, skipped, keys };
}

/** What an answer other than `OK` means, in the operator's words. */
function refusal(line: string | undefined, loggedIn: boolean): string {
  if (line === undefined) {
    return loggedIn
      ? 'the connection closed at the watch command'
      : 'the connection closed at the watch command (a SASL server, -S, speaks only binary; a -Y server needs --username)';
  }
  if (line.startsWith('CLIENT_ERROR watch commands not allowed')) return 'the server refuses watch (started with -W)';
  if (line.startsWith('CLIENT_ERROR unauthenticated')) return 'the server needs the ASCII login (-Y): give --username';
  if (line === 'ERROR') return 'the server does not know watch (a proxy, or memcached before 1.5)';
  return `the server refused watch fetchers: ${line.slice(0, 200)}`;
}

/** memcached URI-encodes logged keys (logger.c `uriencode`); a key that does not decode is shown as logged. */
function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** The ASCII login before the watch; a failure says why, with the reply, never the password. */
async function logIn(
  socket: Socket,
  lines: AsyncIterator<string>,
  login: { readonly username: string; readonly password: string },
): Promise<void> {
  const failure = await asciiLogin(socket, lines, login);
  if (failure === undefined) return;
  if (failure.closed)
    throw new WatchError('the connection closed during the ASCII login (a SASL server, -S, cannot be watched)');
  throw new WatchError(`the server refused the ASCII login: ${failure.reply}`);
}

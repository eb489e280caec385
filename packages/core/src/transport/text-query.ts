import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { ConnectionError, TimeoutError } from '../errors.ts';
import { openSocket, readyEvent, type SocketAddress } from './open-socket.ts';

/** What a one-shot query needs: where, how, how long, and when the reply is whole. */
export interface TextQuery {
  readonly server: string;
  readonly address: SocketAddress;
  readonly tls: TlsOptions | undefined;
  /** Milliseconds for the connect and the whole reply together. */
  readonly timeout: number;
  /** Largest reply accepted, in bytes; more is a protocol fault. */
  readonly maxBytes: number;
  readonly operation: string;
  /** Whether the bytes read so far are a whole reply. */
  readonly complete: (reply: string) => boolean;
}

/**
 * Sends text-protocol lines on a fresh connection and resolves the reply (latin1), then closes
 * it. For the rare, out-of-band reads of a configuration endpoint, which must not share the data
 * connections (their dialect may not be text).
 */
export function textQuery(query: TextQuery, lines: string): Promise<string> {
  const context = { server: query.server, operation: query.operation };
  return new Promise((resolve, reject) => {
    const socket = openSocket(query.address, query.tls);
    let reply = '';
    const finish = (error: Error | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve(reply);
      else reject(error);
    };
    const timer = setTimeout(
      () =>
        finish(
          new TimeoutError(`${query.server} did not answer ${query.operation} within ${query.timeout} ms`, context),
        ),
      query.timeout,
    );
    socket.once(readyEvent(query.tls), () => socket.write(lines, 'latin1'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (query.complete(reply)) finish(undefined);
      else if (reply.length > query.maxBytes) {
        finish(
          new ConnectionError(`${query.server} sent more than ${query.maxBytes} bytes for ${query.operation}`, context),
        );
      }
    });
    socket.once('error', (error) =>
      finish(
        new ConnectionError(`${query.server}: ${error.message} (${query.operation})`, { ...context, cause: error }),
      ),
    );
    socket.once('close', () =>
      finish(new ConnectionError(`${query.server} closed the connection before answering ${query.operation}`, context)),
    );
  });
}

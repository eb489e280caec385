import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Connection, type Handshake } from '../transport/connection.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { SocketAddress } from '../transport/open-socket.ts';

export interface ServerOptions {
  /** The name as configured (`host:port` or a socket path): what errors and the ring use. */
  readonly name: string;
  readonly address: SocketAddress;
  readonly tls?: TlsOptions | undefined;
  /** Milliseconds for connect and for each reply, unless a request sets its own. */
  readonly timeout: number;
  readonly maxBodyLength: number;
  readonly handshake?: Handshake | undefined;
}

/**
 * One memcached server and its current connection. The connection is opened on first use and
 * replaced on the next request after it dies, so a restarted server is picked up again without
 * anything stale being reused.
 */
export class Server {
  readonly name: string;
  readonly #options: ServerOptions;
  #connection: Connection | undefined;

  constructor(options: ServerOptions) {
    this.name = options.name;
    this.#options = options;
  }

  send(exchange: Exchange): void {
    this.#live().send(exchange);
  }

  /** The live connection, if one is open (for diagnostics and tests). */
  get connection(): Connection | undefined {
    return this.#connection?.usable ? this.#connection : undefined;
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close();
  }

  #live(): Connection {
    let connection = this.#connection;
    if (connection === undefined || !connection.usable) {
      connection = new Connection({
        server: this.name,
        address: this.#options.address,
        tls: this.#options.tls,
        timeout: this.#options.timeout,
        maxBodyLength: this.#options.maxBodyLength,
        handshake: this.#options.handshake,
      });
      this.#connection = connection;
    }
    return connection;
  }
}

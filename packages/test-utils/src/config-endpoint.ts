import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tlsFiles } from './tls-certificates.ts';

/** One node as a configuration endpoint lists it. */
export interface ConfigNodeEntry {
  readonly host: string;
  readonly ip: string;
  readonly port: number;
}

export interface ConfigEndpointOptions {
  /** Serve over TLS with the test server certificate (localhost / 127.0.0.1). Default false. */
  readonly tls?: boolean;
  /** Answer `config get cluster` with `ERROR`, as ElastiCache engines before 1.4.14 do. Default false. */
  readonly legacyOnly?: boolean;
}

/**
 * The one stand-in the discovery tests use, since no ElastiCache or Memorystore is reachable: a
 * text-protocol server on 127.0.0.1 that answers `config get cluster` and the legacy
 * `get AmazonElastiCache:cluster` exactly as the AWS documentation shows, and `ERROR` to anything
 * else. The data nodes it lists are real memcached processes.
 */
export class ConfigEndpoint {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #options: ConfigEndpointOptions;
  #port = 0;
  #version = 0;
  #nodes: readonly ConfigNodeEntry[] = [];
  #garbage: string | undefined;
  /** Requests answered so far, by command line. */
  readonly requests: string[] = [];

  constructor(options: ConfigEndpointOptions = {}) {
    this.#options = options;
    const onSocket = (socket: Socket): void => this.#accept(socket);
    if (options.tls) {
      const files = tlsFiles();
      const cert = readFileSync(files.serverCertFile, 'utf8');
      this.#server = createTlsServer({ cert, key: readFileSync(files.serverKeyFile, 'utf8') }, onSocket);
    } else {
      this.#server = createTcpServer(onSocket);
    }
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  get version(): number {
    return this.#version;
  }

  /** Lists `nodes` under the next configuration version, or under `version` when given. */
  announce(nodes: readonly ConfigNodeEntry[], version: number = this.#version + 1): void {
    this.#nodes = nodes;
    this.#version = version;
    this.#garbage = undefined;
  }

  /** Answers every request with `bytes` until the next {@link announce} or {@link answerNormally}. */
  answerGarbage(bytes: string): void {
    this.#garbage = bytes;
  }

  answerNormally(): void {
    this.#garbage = undefined;
  }

  /** Listens on `port`, or a free port the first time. */
  async listen(port: number = this.#port): Promise<this> {
    this.#server.listen(port, '127.0.0.1');
    await once(this.#server, 'listening');
    const address = this.#server.address();
    if (address === null || typeof address !== 'object') throw new Error('config endpoint has no port');
    this.#port = address.port;
    return this;
  }

  /** Stops listening and drops every connection (the endpoint "goes down"); `listen()` brings it back. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end !== -1; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        this.requests.push(line);
        socket.write(this.#answer(line), 'latin1');
      }
    });
  }

  #answer(line: string): string {
    if (this.#garbage !== undefined) return this.#garbage;
    const body = `${this.#version}\n${this.#nodes.map((node) => `${node.host}|${node.ip}|${node.port}`).join(' ')}\n`;
    const length = Buffer.byteLength(body, 'latin1');
    if (line === 'config get cluster' && !this.#options.legacyOnly) {
      return `CONFIG cluster 0 ${length}\r\n${body}\r\nEND\r\n`;
    }
    if (line === 'get AmazonElastiCache:cluster')
      return `VALUE AmazonElastiCache:cluster 0 ${length}\r\n${body}\r\nEND\r\n`;
    return 'ERROR\r\n';
  }
}

/** Starts a configuration endpoint on a free 127.0.0.1 port. */
export function startConfigEndpoint(options?: ConfigEndpointOptions): Promise<ConfigEndpoint> {
  return new ConfigEndpoint(options).listen();
}

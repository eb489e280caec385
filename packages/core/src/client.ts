import { Server } from './cluster/server.ts';
import { parseServerEntry } from './cluster/server-string.ts';
import { ClosedError, InvalidArgumentError, ValueTooLargeError } from './errors.ts';
import { validateKey } from './keys.ts';
import { decodeGet, decodeVersion, decodeWrite } from './operations/decoders.ts';
import { type Decode, OperationExchange } from './operations/operation-exchange.ts';
import { type ClientOptions, type ResolvedClientOptions, resolveClientOptions } from './options.ts';
import { HEADER_LENGTH, Opcode, type Request } from './protocol/index.ts';
import { ValueCodec } from './values/value-codec.ts';

/** Per-call options accepted by every operation. */
export interface OperationOptions {
  /** Stops waiting for this operation; it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Seconds this operation may wait for its reply; the client's `socketTimeout` when absent. */
  readonly timeout?: number;
}

/** Replies carry at most the value plus extras and a key; anything larger is a protocol error. */
const REPLY_OVERHEAD = HEADER_LENGTH + 256 + 64;

/**
 * A memcached client speaking the binary protocol. Every operation passes one chokepoint
 * ({@link Client.#perform}) that validates, routes and sends it.
 *
 * @example
 * const client = new Client('127.0.0.1:11211');
 * await client.set('abc', 123);
 * await client.get('abc'); // 123
 */
export class Client {
  readonly #options: ResolvedClientOptions;
  readonly #servers: readonly Server[];
  readonly #codec = new ValueCodec();
  #closed = false;

  /**
   * @param servers a server (`host:port`, `[ipv6]:port`, `/path/to.sock`) or a list of them;
   *   `MEMCACHE_SERVERS` (comma-separated) or `127.0.0.1:11211` when absent.
   */
  constructor(servers?: string | readonly string[], options?: ClientOptions) {
    this.#options = resolveClientOptions(options);
    const entries = serverList(servers).map(parseServerEntry);
    this.#servers = entries.map(
      (entry) =>
        new Server({
          name: entry.name,
          address: entry.address,
          timeout: this.#options.socketTimeout * 1000,
          maxBodyLength: this.#options.valueMaxBytes + REPLY_OVERHEAD,
        }),
    );
  }

  /** The value stored under `key`, or `undefined` on a miss. */
  get(key: string, options?: OperationOptions): Promise<unknown> {
    try {
      const request: Request = { opcode: Opcode.get, key: validateKey(key, 'get') };
      return this.#perform('get', request, decodeGet, options, this.#codec);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Stores `value` under `key`. `ttl` is in seconds (0 or absent: never expires). Resolves `true`
   * when stored.
   */
  set(key: string, value: unknown, ttl = 0, options?: OperationOptions): Promise<boolean> {
    try {
      const wireKey = validateKey(key, 'set');
      const encoded = this.#codec.encode(value, 'set');
      if (encoded.bytes.length > this.#options.valueMaxBytes) {
        throw new ValueTooLargeError(
          `value is ${encoded.bytes.length} bytes; valueMaxBytes is ${this.#options.valueMaxBytes}`,
          { operation: 'set' },
        );
      }
      const request: Request = {
        opcode: Opcode.set,
        key: wireKey,
        value: encoded.bytes,
        flags: encoded.flags,
        expiration: expiration(ttl, 'set'),
      };
      return this.#perform('set', request, decodeWrite, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Deletes `key`; resolves `false` when it was not there. */
  delete(key: string, options?: OperationOptions): Promise<boolean> {
    try {
      const request: Request = { opcode: Opcode.delete, key: validateKey(key, 'delete') };
      return this.#perform('delete', request, decodeWrite, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Each server's memcached version, by server name. */
  async version(options?: OperationOptions): Promise<Record<string, string>> {
    const versions = await Promise.all(
      this.#servers.map((server) =>
        this.#performOn(server, 'version', { opcode: Opcode.version }, decodeVersion, options),
      ),
    );
    return Object.fromEntries(this.#servers.map((server, i) => [server.name, versions[i] as string]));
  }

  /** Waits for in-flight requests, then closes every connection. Later operations reject with a ClosedError. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#servers.map((server) => server.close()));
  }

  /** The chokepoint every keyed operation passes. */
  #perform<T>(
    operation: string,
    request: Request,
    decode: Decode<T>,
    options: OperationOptions | undefined,
    context?: unknown,
  ): Promise<T> {
    return this.#performOn(this.#servers[0] as Server, operation, request, decode, options, context);
  }

  #performOn<T>(
    server: Server,
    operation: string,
    request: Request,
    decode: Decode<T>,
    options: OperationOptions | undefined,
    context?: unknown,
  ): Promise<T> {
    if (this.#closed) throw new ClosedError('the client is closed', { operation });
    const signal = options?.signal;
    if (signal?.aborted) throw signal.reason;
    const exchange = new OperationExchange(operation, server.name, request, decode, {
      timeout: options?.timeout === undefined ? undefined : secondsToMs(options.timeout, operation),
      signal,
      context,
    });
    server.send(exchange);
    return exchange.promise;
  }
}

function serverList(servers: string | readonly string[] | undefined): string[] {
  const list = servers ?? process.env.MEMCACHE_SERVERS ?? '127.0.0.1:11211';
  const entries = (typeof list === 'string' ? list.split(',') : [...list]).map((entry) => entry.trim());
  if (entries.length === 0 || entries.some((entry) => entry === '')) {
    throw new InvalidArgumentError('the server list is empty or has an empty entry');
  }
  return entries;
}

function secondsToMs(seconds: number, operation: string): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('timeout must be a positive number of seconds', { operation });
  }
  return seconds * 1000;
}

/** memcached expirations are whole seconds: a fraction rounds up, so a short TTL never becomes 0 (never expire). */
function expiration(ttl: number, operation: string): number {
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
    throw new InvalidArgumentError('ttl must be a finite number of seconds, 0 or more', { operation });
  }
  return Math.ceil(ttl);
}

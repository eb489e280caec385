import { keyList, timeoutMs } from './argument-checks.ts';
import type { Server } from './cluster/server.ts';
import { BatchError, ClosedError, type DalliError } from './errors.ts';
import type { KeyBuilder } from './keys.ts';
import type { OperationOptions } from './operation-options.ts';
import { Batch, type BatchKind } from './operations/batch.ts';
import { type Decode, OperationExchange } from './operations/operation-exchange.ts';
import type { Request } from './protocol/index.ts';
import type { ValueCodec } from './values/value-codec.ts';

/** Builds a request from the wire key; may throw a typed error for a bad argument. */
export type BuildRequest = (wireKey: string) => Request;

/**
 * The client's chokepoint: every operation passes here to be checked, routed to its server and
 * sent. Bad arguments reject before a byte is written; nothing here throws synchronously.
 */
export class Dispatcher {
  readonly keys: KeyBuilder;
  readonly codec: ValueCodec;
  /** The client's `raw` option: the default of reads and writes. */
  readonly raw: boolean;
  readonly #servers: readonly Server[];
  #closed = false;

  constructor(servers: readonly Server[], keys: KeyBuilder, codec: ValueCodec, raw: boolean) {
    this.#servers = servers;
    this.keys = keys;
    this.codec = codec;
    this.raw = raw;
  }

  /** One request for one key. */
  keyed<T>(
    operation: string,
    key: string,
    options: OperationOptions | undefined,
    build: BuildRequest,
    decode: Decode<T>,
    raw: boolean = this.raw,
  ): Promise<T> {
    try {
      const wireKey = this.keys.wireKey(key, operation);
      return this.#send<T>(
        this.#serverFor(wireKey),
        operation,
        build(wireKey),
        decode,
        raw,
        options,
        OperationExchange,
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A quiet request per key, grouped by server; each server's share leaves in one write, closed
   * by the connection's NOOP. Every key is checked and every request built before any is sent.
   */
  batch<R>(
    kind: BatchKind<R>,
    results: R,
    keys: Iterable<string>,
    options: OperationOptions | undefined,
    raw: boolean,
    build: (wireKey: string, key: string) => Request,
  ): Promise<R> {
    try {
      const operation = kind.operation;
      const parts = keyList(keys, operation).map((key) => {
        const wireKey = this.keys.wireKey(key, operation);
        return { key, wireKey, request: build(wireKey, key) };
      });
      const timeout = timeoutMs(options?.timeout, operation);
      this.#checkOpen(operation, options);
      const batch = new Batch(kind, results, options?.signal);
      for (const { key, wireKey, request } of parts) {
        const server = this.#serverFor(wireKey);
        server.send(batch.part(key, wireKey, request, server.name, this.codec, raw, timeout));
      }
      batch.seal();
      return batch.promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * One request to every server. Resolves the answers by server name. With one server, its
   * failure rejects as is; with several, a {@link BatchError} carries the answers that came.
   */
  async everyServer<T>(
    operation: string,
    options: OperationOptions | undefined,
    build: (index: number) => Request,
    decode: Decode<T>,
    Kind: typeof OperationExchange<T> = OperationExchange,
  ): Promise<Record<string, T>> {
    const servers = this.#servers;
    const settled = await Promise.allSettled(
      servers.map(async (server, i) => this.#send(server, operation, build(i), decode, false, options, Kind)),
    );
    const results: Record<string, T> = {};
    const errors = new Map<string, DalliError>();
    for (const [i, outcome] of settled.entries()) {
      const name = (servers[i] as Server).name;
      if (outcome.status === 'fulfilled') results[name] = outcome.value;
      else errors.set(name, outcome.reason as DalliError);
    }
    if (errors.size === 0) return results;
    if (servers.length === 1) throw errors.values().next().value;
    throw new BatchError(operation, results, errors, servers.length, 'servers');
  }

  /** Refuses new operations, waits for those in flight, and closes every connection. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#servers.map((server) => server.close()));
  }

  #send<T>(
    server: Server,
    operation: string,
    request: Request,
    decode: Decode<T>,
    raw: boolean,
    options: OperationOptions | undefined,
    Kind: typeof OperationExchange<T>,
  ): Promise<T> {
    this.#checkOpen(operation, options);
    const timeout = timeoutMs(options?.timeout, operation);
    const exchange = new Kind(operation, server.name, request, decode, this.codec, raw, timeout, options?.signal);
    server.send(exchange);
    return exchange.promise;
  }

  #checkOpen(operation: string, options: OperationOptions | undefined): void {
    if (this.#closed) throw new ClosedError('the client is closed', { operation });
    const signal = options?.signal;
    if (signal?.aborted) throw signal.reason;
  }

  #serverFor(_wireKey: string): Server {
    return this.#servers[0] as Server;
  }
}

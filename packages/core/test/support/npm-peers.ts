import { createRequire } from 'node:module';

// The peers are plain CommonJS without types; these are the few calls the tests make.
const require = createRequire(import.meta.url);

type Callback<T = unknown> = (error: unknown, result?: T) => void;

/** `memcached` 2.2.2 (3rd-Eden): what its users construct and call. */
export interface NodeMemcached {
  readonly HashRing: { get(key: string): string };
  set(key: string, value: unknown, lifetime: number, callback: Callback<boolean>): void;
  get(key: string, callback: Callback): void;
  end(): void;
}

/** memjs 1.3.2's client. */
export interface Memjs {
  set(key: string, value: string | Buffer, options: { expires?: number }): Promise<boolean>;
  get(key: string): Promise<{ value: Buffer | null; flags: Buffer | null }>;
  close(): void;
}

const NodeMemcachedClass = require('memcached') as new (
  servers: string | string[] | Record<string, number>,
  options?: object,
) => NodeMemcached;
const memjs = require('memjs') as { Client: { create(servers: string, options?: object): Memjs } };

/** A `memcached` 2.2.2 client as its users create one: servers as a list, or `{ server: weight }`. */
export function nodeMemcached(servers: string[] | Record<string, number>, options: object = {}): NodeMemcached {
  return new NodeMemcachedClass(servers, { retries: 0, timeout: 2000, poolSize: 64, ...options });
}

export function memjsClient(servers: readonly string[]): Memjs {
  return memjs.Client.create(servers.join(','), { retries: 0, logger: { log: () => {} } });
}

/** Calls a callback-style method as a promise. */
export function call<T>(run: (callback: Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result))));
}

/** Runs `write` for every key, `width` at a time. */
export async function forEachKey(
  keys: readonly string[],
  write: (key: string) => Promise<unknown>,
  width = 200,
): Promise<void> {
  for (let start = 0; start < keys.length; start += width) {
    await Promise.all(keys.slice(start, start + width).map(write));
  }
}

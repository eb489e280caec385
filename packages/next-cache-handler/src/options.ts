import { Client, type ClientOptions, InvalidArgumentError } from '@dalli/core';

/** Options of {@link createIncrementalCacheHandler} and {@link createUseCacheHandler}. */
export interface DalliNextOptions {
  /**
   * The memcached servers (a server string or list) for a new client, or a `Client` to share.
   * Default: the core client's own, `MEMCACHE_SERVERS` (comma-separated) or `127.0.0.1:11211`.
   */
  readonly servers?: string | readonly string[] | Client | undefined;
  /** Options of the new client (ignored when `servers` is a `Client`). Default: the core's defaults. */
  readonly clientOptions?: ClientOptions | undefined;
  /**
   * The first part of every key: entries live under `<keyPrefix>:entry:<key>` (the incremental
   * cache adds the build ID: `<keyPrefix>:entry:<buildId>:<key>`), tags under
   * `<keyPrefix>:tag:<tag>`. Give each app sharing the servers its own. Default `'next'`.
   */
  readonly keyPrefix?: string | undefined;
  /**
   * Called with each read or write of an entry that failed (memcached unreachable, a value larger
   * than the server's item size…); the read then counts as a miss and the write as not stored, so
   * Next.js renders anew instead of failing (a `"use cache"` read that rejects stalls Next.js 16's
   * render until its 60 s timeout). Revalidations still reject. `operation`: `get` or `set`.
   * Default: one line on `console.error` with the operation, the key, and the error's code and message.
   */
  readonly onError?: ((error: unknown, operation: 'get' | 'set', cacheKey: string) => void) | undefined;
}

/** The options as the handlers use them: one client, opened on first use, and the prefix checked. */
export interface ResolvedOptions {
  readonly client: () => Client;
  readonly keyPrefix: string;
  readonly onError: (error: unknown, operation: 'get' | 'set', cacheKey: string) => void;
}

const DEFAULT_PREFIX = 'next';

/**
 * Checks the options once and returns a lazily created client: Next.js loads a handler module in
 * the build's workers too, and nothing should connect before the first cache operation.
 */
export function resolveOptions(options: DalliNextOptions = {}): ResolvedOptions {
  const keyPrefix = options.keyPrefix ?? DEFAULT_PREFIX;
  if (typeof keyPrefix !== 'string' || keyPrefix.length === 0 || /[\s\p{Cc}]/u.test(keyPrefix)) {
    throw new InvalidArgumentError(
      'option "keyPrefix" must be a non-empty string without whitespace or control characters',
    );
  }
  const { servers, clientOptions, onError = logError } = options;
  if (typeof onError !== 'function') throw new InvalidArgumentError('option "onError" must be a function');
  let client: Client | undefined = Client.isClient(servers) ? servers : undefined;
  return {
    keyPrefix,
    onError,
    client: () => {
      client ??= new Client(servers as string | readonly string[] | undefined, clientOptions);
      return client;
    },
  };
}

function logError(error: unknown, operation: string, cacheKey: string): void {
  const { code, message } =
    error instanceof Error ? (error as Error & { code?: unknown }) : { code: undefined, message: String(error) };
  // biome-ignore lint/suspicious/noConsole: the default report, where Next.js logs its own cache failures
  console.error(
    `@dalli/next: ${operation} of ${JSON.stringify(cacheKey)} failed (${String(code ?? 'error')}): ${message}`,
  );
}

import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll } from 'vitest';
import { Client, type ClientOptions, type ProtocolName } from '../../src/index.ts';

/** What {@link memcachedClient} gives a suite once its `beforeAll` has run. */
export interface MemcachedClient {
  /** The suite's memcached. */
  readonly memcached: MemcachedProcess;
  /** A client of the suite's dialect on it (through {@link proxy} when asked for one). */
  readonly client: Client;
  /** The fault proxy in front of memcached; only with `{ proxy: true }`. */
  readonly proxy: FaultProxy;
}

export interface MemcachedClientOptions {
  /** Client options beside `protocol`. */
  readonly client?: ClientOptions;
  /** Put a fault proxy between the client and memcached. Default false. */
  readonly proxy?: boolean;
}

/**
 * The prologue of a per-dialect integration suite, registered as its hooks: `beforeAll` starts one
 * memcached (and a fault proxy when asked) and a client of `protocol` on it; `afterAll` closes the
 * client and stops the rest. Call it in the suite's body; read `.client` and `.memcached` in tests.
 */
export function memcachedClient(protocol: ProtocolName, options: MemcachedClientOptions = {}): MemcachedClient {
  let memcached: MemcachedProcess | undefined;
  let proxy: FaultProxy | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    memcached = await startMemcached();
    if (options.proxy) proxy = await startFaultProxy(memcached);
    client = new Client((proxy ?? memcached).address, { ...options.client, protocol });
  });
  afterAll(async () => {
    await client?.close();
    await proxy?.close();
    await memcached?.stop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is there only in tests and hooks after the suite's beforeAll`);
    return value;
  };
  return {
    get memcached() {
      return ready(memcached, 'memcached');
    },
    get client() {
      return ready(client, 'client');
    },
    get proxy() {
      return ready(proxy, 'proxy (ask for { proxy: true })');
    },
  };
}

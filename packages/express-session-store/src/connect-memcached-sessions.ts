import { type Client, type ClientOptions, ValueDecodeError } from '@dalli/core';
import type { SessionData } from 'express-session';

/** Where connect-memcached 3 kept its sessions, for {@link DalliSessionStore} to read during a rollout. */
export interface ConnectMemcachedOptions {
  /** connect-memcached's `prefix` option: its keys are `prefix + sid`. Default none, as connect-memcached. */
  readonly prefix?: string;
}

/**
 * What a client needs to find and read connect-memcached 3's records: it stores through
 * `memcached` 2.x, so keys sit where that client's ring puts them and sessions are JSON under its
 * flag 2 (which Dalli's flags would take for "compressed"). Writes keep Dalli's format.
 */
export const connectMemcachedClientOptions: ClientOptions = {
  distribution: 'node-memcached',
  valueFormat: { read: 'memcached', write: 'dalli' },
};

/**
 * Reads sessions connect-memcached 3 stored: `JSON.stringify(session)` under `prefix + sid`, with
 * no record around it. Sessions it encrypted (its `secret` option) are not readable here: they
 * read as absent, so that user signs in again.
 */
export class ConnectMemcachedSessions {
  readonly #client: Client;
  readonly #prefix: string;

  constructor(client: Client, options: ConnectMemcachedOptions) {
    this.#client = client;
    this.#prefix = options.prefix ?? '';
  }

  /** connect-memcached's key of a session: `prefix + sid`, as `memcached` 2.x sends it. */
  keyOf(sid: string): string {
    return this.#prefix + sid;
  }

  async read(sid: string): Promise<SessionData | undefined> {
    let stored: unknown;
    try {
      stored = await this.#client.get(this.keyOf(sid), { raw: true });
    } catch (error) {
      // A client without connect-memcached's value format reads its flag 2 as "compressed".
      if (error instanceof ValueDecodeError) return undefined;
      throw error;
    }
    return stored === undefined ? undefined : parseConnectMemcachedSession(String(stored));
  }
}

/** The session in connect-memcached's record (`JSON.stringify(session)`), or undefined when it is not one. */
export function parseConnectMemcachedSession(text: string): SessionData | undefined {
  let session: unknown;
  try {
    session = JSON.parse(text);
  } catch {
    return undefined;
  }
  const cookie = (session as { cookie?: unknown } | null)?.cookie;
  return typeof cookie === 'object' && cookie !== null ? (session as SessionData) : undefined;
}

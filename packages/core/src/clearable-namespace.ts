import { randomBytes } from 'node:crypto';
import type { Client } from './client.ts';
import { ConnectionError, NoServerAvailableError, TimeoutError } from './errors.ts';
import { escapeKey } from './key-escape.ts';

/** The client operations a namespace needs. */
type NamespaceClient = Pick<Client, 'get' | 'add' | 'set'>;

/**
 * A namespace whose keys can all be dropped at once without `flush_all`, which would empty the
 * whole server for every app on it. Keys live under a generation token kept in memcached
 * (`<name>:<generation>:<key>`); `clear()` writes a new token, after which the old keys are never
 * read again and age out by TTL or LRU. A random token rather than a counter: if memcached evicts
 * the token, the next one is new too, so old keys are never resurrected.
 *
 * Every operation reads the current token (one extra GET, pipelined), so a `clear()` by any
 * process is seen at once; lookups issued in the same tick share one read. If the token's server
 * cannot be reached, the last token read is used, so the namespace stays as available as its
 * other servers (a `clear()` cannot happen meanwhile: it needs that server too).
 */
export class ClearableNamespace {
  readonly name: string;
  readonly #client: NamespaceClient;
  readonly #tokenKey: string;
  #pending: Promise<string> | undefined;
  #lastToken: string | undefined;

  constructor(client: NamespaceClient, name: string) {
    this.#client = client;
    this.name = name;
    this.#tokenKey = `${escapeKey(name)}:__generation`;
  }

  /** The wire-ready key for `key` in the current generation. */
  async key(key: string): Promise<string> {
    return this.keyIn(await this.generation(), key);
  }

  /** The keys for `keys` in the current generation, from one token read. */
  async keys(keys: readonly string[]): Promise<string[]> {
    const generation = await this.generation();
    return keys.map((key) => this.keyIn(generation, key));
  }

  /**
   * The wire-ready key for `key` in a given generation: for callers that hold a token already and
   * read the current one beside their operation (one round trip) rather than before it.
   */
  keyIn(generation: string, key: string): string {
    return `${escapeKey(this.name)}:${generation}:${escapeKey(key)}`;
  }

  /** Drops every key of the namespace: later reads see a new, empty generation. */
  async clear(): Promise<void> {
    this.#pending = undefined;
    const token = newToken();
    await this.#client.set(this.#tokenKey, token, 0, { raw: true });
    this.#lastToken = token;
  }

  /** The current generation token, created if there is none yet; lookups in one tick share one read. */
  generation(): Promise<string> {
    let pending = this.#pending;
    if (pending === undefined) {
      pending = this.#readToken();
      this.#pending = pending;
      // Shared by the lookups of this tick only: the next tick reads again, to see other clears.
      const forget = (): void => {
        if (this.#pending === pending) this.#pending = undefined;
      };
      queueMicrotask(() => setImmediate(forget));
      pending.catch(forget);
    }
    return pending;
  }

  async #readToken(): Promise<string> {
    try {
      this.#lastToken = await this.#fetchToken();
      return this.#lastToken;
    } catch (error) {
      const unreachable =
        error instanceof ConnectionError || error instanceof TimeoutError || error instanceof NoServerAvailableError;
      if (unreachable && this.#lastToken !== undefined) return this.#lastToken;
      throw error;
    }
  }

  async #fetchToken(): Promise<string> {
    for (;;) {
      const current = await this.#client.get(this.#tokenKey, { raw: true });
      if (current !== undefined) return String(current);
      const token = newToken();
      if (await this.#client.add(this.#tokenKey, token, 0, { raw: true })) return token;
      // Another process created it between our get and add: read theirs.
    }
  }
}

function newToken(): string {
  return randomBytes(6).toString('base64url');
}

import { randomBytes } from 'node:crypto';
import { type Client, ConnectionError, NoServerAvailableError, TimeoutError } from '@dalli/core';

/**
 * The store's namespace token, kept in memcached under one key: a record written under another
 * token was dropped by `clear()`, which writes a new one. The token is read beside each session
 * read (same tick, so one round trip), never before it; reads in the same tick share one GET.
 * A random token rather than a counter: if memcached evicts it, the next one is new too, so
 * cleared sessions never come back. If the token's server cannot be reached, the last token read
 * is used, so sessions on the other servers stay available (a `clear()` needs that server too).
 */
export class GenerationToken {
  readonly #client: Pick<Client, 'get' | 'add' | 'set'>;
  readonly #key: string;
  #pending: Promise<string> | undefined;
  #last: string | undefined;

  constructor(client: Pick<Client, 'get' | 'add' | 'set'>, key: string) {
    this.#client = client;
    this.#key = key;
  }

  /** The current token, created if there is none yet. */
  current(): Promise<string> {
    let pending = this.#pending;
    if (pending === undefined) {
      pending = this.#read();
      this.#pending = pending;
      // Shared by the reads of this tick only: the next tick reads again, to see other processes' clears.
      const forget = (): void => {
        if (this.#pending === pending) this.#pending = undefined;
      };
      setImmediate(forget);
      pending.catch(forget);
    }
    return pending;
  }

  /** Writes a new token: every record of the old one is dropped. */
  async renew(): Promise<void> {
    this.#pending = undefined;
    await this.#client.set(this.#key, newToken(), 0, { raw: true });
  }

  async #read(): Promise<string> {
    try {
      this.#last = await this.#readOrCreate();
      return this.#last;
    } catch (error) {
      const unreachable =
        error instanceof ConnectionError || error instanceof TimeoutError || error instanceof NoServerAvailableError;
      if (unreachable && this.#last !== undefined) return this.#last;
      throw error;
    }
  }

  async #readOrCreate(): Promise<string> {
    for (;;) {
      const current = await this.#client.get(this.#key, { raw: true });
      if (current !== undefined) return String(current);
      const token = newToken();
      if (await this.#client.add(this.#key, token, 0, { raw: true })) return token;
      // Another process created it between our get and add: read theirs.
    }
  }
}

function newToken(): string {
  return randomBytes(6).toString('base64url');
}

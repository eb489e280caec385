import { ClearableNamespace, Client, type ClientOptions } from '@dalli/core';
import session, { type SessionData } from 'express-session';
import {
  type ConnectMemcachedOptions,
  ConnectMemcachedSessions,
  connectMemcachedClientOptions,
} from './connect-memcached-sessions.ts';
import { ServerAvailability } from './connection-events.ts';
import { decodeRecord, encodeRecord } from './session-record.ts';
import { cookieExpired, sessionTtl, type TtlOption } from './session-ttl.ts';

/** Turns session data into text and back. Default: JSON. */
export interface SessionSerializer {
  stringify(session: SessionData): string;
  parse(text: string): SessionData;
}

/** Options of {@link DalliSessionStore}. */
export interface DalliSessionStoreOptions {
  /** memcached servers, as `@dalli/core` takes them (default `MEMCACHE_SERVERS`, else 127.0.0.1:11211). */
  readonly servers?: string | readonly string[];
  /**
   * An existing client to share instead of `servers` and `clientOptions`. Create it with
   * `failover: false`: see the README on sessions and failover.
   */
  readonly client?: Client;
  /** Options of the new client. `failover` defaults to false here, unlike the client's own default. */
  readonly clientOptions?: ClientOptions;
  /** Key prefix, and what `clear()` drops. Default `sess:`. */
  readonly prefix?: string;
  /** Seconds a session lives when its cookie has no expiry (a number, or a function of the session). Default one day. */
  readonly ttl?: TtlOption;
  /** Never extend a session's TTL on unmodified requests (express-session's `touch`). Default false. */
  readonly disableTouch?: boolean;
  /** Store sessions without expiry. Default false. */
  readonly disableTTL?: boolean;
  /** Default JSON. */
  readonly serializer?: SessionSerializer;
  /**
   * Migrating from connect-memcached 3: a session this store lacks is read from connect-memcached's
   * record (its `prefix`, default none) and saved as ours, so nobody is logged out. The store's own
   * client then places keys as `memcached` 2.x and reads its values; a shared `client` must do the
   * same (see the README). Default: off.
   */
  readonly connectMemcached?: ConnectMemcachedOptions;
}

type Callback<T = void> = (error?: unknown, result?: T) => void;

/** A stored record whose id is not the one asked for: refused, never served. */
export class SessionMismatchError extends Error {
  override readonly name = 'SessionMismatchError';
  readonly code = 'ERR_DALLI_SESSION_MISMATCH';
}

/**
 * An express-session store over memcached: `app.use(session({ store: new DalliSessionStore(...) }))`.
 * Failures reach `next(err)` (a 500), never a fresh session; `touch` extends a session with
 * memcached's TOUCH and never rewrites it; `clear()` drops only this store's prefix. Every method
 * takes an express-session callback, or returns a promise without one.
 */
export class DalliSessionStore extends session.Store {
  readonly client: Client;
  readonly #namespace: ClearableNamespace;
  readonly #ownsClient: boolean;
  readonly #ttl: TtlOption | undefined;
  readonly #disableTouch: boolean;
  readonly #disableTTL: boolean;
  readonly #serializer: SessionSerializer;
  readonly #availability: ServerAvailability;
  readonly #connectMemcached: ConnectMemcachedSessions | undefined;

  constructor(options: DalliSessionStoreOptions = {}) {
    super();
    this.#ownsClient = options.client === undefined;
    const migration = options.connectMemcached === undefined ? {} : connectMemcachedClientOptions;
    this.client =
      options.client ?? new Client(options.servers, { failover: false, ...migration, ...options.clientOptions });
    this.#connectMemcached =
      options.connectMemcached && new ConnectMemcachedSessions(this.client, options.connectMemcached);
    this.#namespace = new ClearableNamespace(this.client, (options.prefix ?? 'sess:').replace(/:$/, ''));
    this.#ttl = options.ttl;
    this.#disableTouch = options.disableTouch ?? false;
    this.#disableTTL = options.disableTTL ?? false;
    this.#serializer = options.serializer ?? JSON;
    this.#availability = new ServerAvailability(this.client, (up) => this.emit(up ? 'connect' : 'disconnect'));
  }

  get(sid: string, callback: Callback<SessionData | null>): void;
  get(sid: string): Promise<SessionData | null>;
  get(sid: string, callback?: Callback<SessionData | null>): Promise<SessionData | null> | undefined {
    return settle(this.#get(sid), callback);
  }

  set(sid: string, data: SessionData, callback: Callback): void;
  set(sid: string, data: SessionData): Promise<void>;
  set(sid: string, data: SessionData, callback?: Callback): Promise<void> | undefined {
    return settle(this.#set(sid, data), callback);
  }

  override touch(sid: string, data: SessionData, callback: Callback): void;
  override touch(sid: string, data: SessionData): Promise<void>;
  override touch(sid: string, data: SessionData, callback?: Callback): Promise<void> | undefined {
    return settle(this.#touch(sid, data), callback);
  }

  destroy(sid: string, callback: Callback): void;
  destroy(sid: string): Promise<void>;
  destroy(sid: string, callback?: Callback): Promise<void> | undefined {
    return settle(this.#destroy(sid), callback);
  }

  /** Drops every session under this store's prefix (never the whole server). */
  override clear(callback: Callback): void;
  override clear(): Promise<void>;
  override clear(callback?: Callback): Promise<void> | undefined {
    return settle(this.#namespace.clear(), callback);
  }

  /** Stops watching the client and closes it if this store created it. */
  async close(): Promise<void> {
    this.#availability.stop();
    if (this.#ownsClient) await this.client.close();
  }

  async #get(sid: string): Promise<SessionData | null> {
    const stored = await this.client.get(await this.#namespace.key(sid), { raw: true });
    if (stored === undefined) return this.#fromConnectMemcached(sid);
    const record = decodeRecord(String(stored));
    if (record === undefined || record.sid !== sid) {
      throw new SessionMismatchError(
        'the record stored under this session id belongs to another session; it was not served',
      );
    }
    const data = this.#serializer.parse(record.data);
    if (cookieExpired(data)) {
      await this.#destroy(sid);
      return null;
    }
    return data;
  }

  /** A session connect-memcached stored, saved as our record so later reads, touches and writes are ours. */
  async #fromConnectMemcached(sid: string): Promise<SessionData | null> {
    const data = await this.#connectMemcached?.read(sid);
    if (data === undefined || cookieExpired(data)) return null;
    await this.#set(sid, data);
    return data;
  }

  async #set(sid: string, data: SessionData): Promise<void> {
    const ttl = sessionTtl(data, this.#ttl, this.#disableTTL);
    if (ttl === 'expired') return this.#destroy(sid);
    const record = encodeRecord(sid, this.#serializer.stringify(data));
    await this.client.set(await this.#namespace.key(sid), record, ttl, { raw: true });
  }

  async #touch(sid: string, data: SessionData): Promise<void> {
    if (this.#disableTouch) return;
    const ttl = sessionTtl(data, this.#ttl, this.#disableTTL);
    if (ttl === 'expired') return this.#destroy(sid);
    await this.client.touch(await this.#namespace.key(sid), ttl);
  }

  async #destroy(sid: string): Promise<void> {
    await this.client.delete(await this.#namespace.key(sid));
  }
}

/**
 * Hands a result to an express-session callback, or returns the promise when there is none. The
 * callback runs on its own tick, so an exception it throws is an ordinary uncaught exception, not
 * a rejection nobody handles.
 */
function settle<T>(operation: Promise<T>, callback: Callback<T> | undefined): Promise<T> | undefined {
  if (callback === undefined) return operation;
  operation.then(
    (result) => process.nextTick(callback, null, result),
    (error: unknown) => process.nextTick(callback, error),
  );
  return undefined;
}

import { ClearableNamespace, type Client, escapeKey } from '@dalli/core';
import session, { type SessionData } from 'express-session';
import { ConnectMemcachedSessions, parseConnectMemcachedSession } from './connect-memcached-sessions.ts';
import { writeSession } from './guarded-write.ts';
import { RecentCas } from './recent-cas.ts';
import { encodeRecord, encodeTombstone } from './session-record.ts';
import { sessionTtl } from './session-ttl.ts';
import {
  type DalliSessionStoreOptions,
  type ResolvedStoreOptions,
  resolveStoreOptions,
  type SessionSerializer,
  type TtlOption,
} from './store-options.ts';
import { readStoredSession, type StoredSession } from './stored-session.ts';

/** Seconds a destroyed session's tombstone is kept: one day (a few dozen bytes per logout). */
export const TOMBSTONE_TTL = 86_400;

type Callback<T = void> = (error?: unknown, result?: T) => void;

/** A stored record whose id is not the one asked for: refused, never served. */
export class SessionMismatchError extends Error {
  override readonly name = 'SessionMismatchError';
  readonly code = 'ERR_DALLI_SESSION_MISMATCH';
}

/**
 * An express-session store over memcached: `app.use(session({ store: new DalliSessionStore(...) }))`.
 * Each session lives under `<prefix><sid>`. Failures reach `next(err)` (a 500), never a fresh
 * session; `touch` extends a session with memcached's TOUCH and never rewrites it; a destroyed
 * session never comes back; `clear()` drops only this store's sessions. Every method takes an
 * express-session callback, or returns a promise without one.
 */
export class DalliSessionStore extends session.Store {
  readonly client: Client;
  /** Key prefix: a session lives under `<prefix><sid>`. */
  readonly prefix: string;
  /** Seconds a session lives when its cookie has no expiry (or a function of the session); undefined: one day. */
  readonly ttl: TtlOption | undefined;
  readonly disableTouch: boolean;
  readonly disableTTL: boolean;
  readonly serializer: SessionSerializer;
  readonly #options: ResolvedStoreOptions;
  readonly #namespace: ClearableNamespace;
  readonly #recent = new RecentCas();
  readonly #connectMemcached: ConnectMemcachedSessions | undefined;

  /** @throws InvalidArgumentError for an unknown option or a value of the wrong type. */
  constructor(options: DalliSessionStoreOptions = {}) {
    super();
    this.#options = resolveStoreOptions(options);
    ({
      client: this.client,
      prefix: this.prefix,
      ttl: this.ttl,
      disableTouch: this.disableTouch,
      disableTTL: this.disableTTL,
      serializer: this.serializer,
    } = this.#options);
    const legacy = this.#options.connectMemcached;
    this.#connectMemcached = legacy && new ConnectMemcachedSessions(this.client, legacy);
    this.#namespace = new ClearableNamespace(this.client, this.prefix);
  }

  /** The memcached key of a session, for operators looking one up by id: `<prefix><sid>`. */
  keyOf(sid: string): string {
    return escapeKey(`${this.prefix}${sid}`);
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

  /** Drops every session of this store (a new generation token; never the whole server). */
  override clear(callback: Callback): void;
  override clear(): Promise<void>;
  override clear(callback?: Callback): Promise<void> | undefined {
    return settle(this.#namespace.clear(), callback);
  }

  /** Closes the client if this store created it. */
  async close(): Promise<void> {
    if (this.#options.ownsClient) await this.client.close();
  }

  /**
   * The session and the generation token are read in the same tick: one round trip. A value under
   * the key that is not one of this store's records (connect-memcached's, when both use `sess:`)
   * is no session of ours: the legacy session when migrating, else none. Only a record of ours
   * naming another session id is refused.
   */
  async #get(sid: string): Promise<SessionData | null> {
    const [stored, generation] = await Promise.all([
      readStoredSession(this.client, this.keyOf(sid)),
      this.#namespace.generation(),
    ]);
    if (stored === undefined || stored === 'unreadable' || stored.record === undefined) {
      return this.#fromConnectMemcached(sid, stored, generation);
    }
    const { record } = stored;
    if (record.sid !== sid) {
      throw new SessionMismatchError(
        'the record stored under this session id belongs to another session; it was not served',
      );
    }
    if (record.kind === 'destroyed') return null;
    // A record of a generation newer than this process knows was saved after another process's
    // clear() that this one has not read yet: the token replicas, read again now, confirm it.
    const current = record.generation === generation ? generation : await this.#namespace.revalidate(record.generation);
    this.#recent.remember(sid, stored.cas, current);
    // A record of an older generation was dropped by clear(); memcached's TTL, which touch
    // extends, says when a session ends (the stored cookie keeps the expiry of its last save).
    return record.generation === current ? this.serializer.parse(record.data) : null;
  }

  /**
   * A session connect-memcached stored, saved as our record so later reads, touches and writes
   * are ours. When both stores use the same key, `stored` is connect-memcached's record itself,
   * and the save replaces exactly that version (a destroy meanwhile wins). Without the migration
   * option, or when the record cannot be read as connect-memcached's, there is no session.
   */
  async #fromConnectMemcached(sid: string, stored: StoredSession, generation: string): Promise<SessionData | null> {
    const legacy = this.#connectMemcached;
    if (legacy === undefined) return null;
    const sameKey = legacy.keyOf(sid) === this.keyOf(sid);
    const found = typeof stored === 'object' ? stored : undefined;
    const data = sameKey ? found && parseConnectMemcachedSession(found.text) : await legacy.read(sid);
    if (data === undefined || sessionTtl(data, this.ttl, this.disableTTL) === 'expired') return null;
    const known = sameKey && found !== undefined ? { cas: found.cas, generation } : undefined;
    return (await this.#save(sid, data, known)) ? data : null;
  }

  async #set(sid: string, data: SessionData): Promise<void> {
    await this.#save(sid, data, this.#recent.take(sid));
  }

  /** Resolves false when the session was destroyed (or has expired) and nothing was written. */
  async #save(
    sid: string,
    data: SessionData,
    known: { cas: bigint; generation: string } | undefined,
  ): Promise<boolean> {
    const ttl = sessionTtl(data, this.ttl, this.disableTTL);
    if (ttl === 'expired') {
      await this.#destroy(sid);
      return false;
    }
    const text = this.serializer.stringify(data);
    return writeSession(
      {
        client: this.client,
        key: this.keyOf(sid),
        record: (generation) => encodeRecord(generation, sid, text),
        ttl,
        currentGeneration: () => this.#namespace.generation(),
      },
      known,
    );
  }

  async #touch(sid: string, data: SessionData): Promise<void> {
    this.#recent.take(sid);
    if (this.disableTouch) return;
    const ttl = sessionTtl(data, this.ttl, this.disableTTL);
    if (ttl === 'expired') return this.#destroy(sid);
    await this.client.touch(this.keyOf(sid), ttl);
  }

  /** A tombstone rather than a delete: a write still on its way cannot recreate the session. */
  async #destroy(sid: string): Promise<void> {
    this.#recent.take(sid);
    await this.client.set(this.keyOf(sid), encodeTombstone(sid), TOMBSTONE_TTL, { raw: true });
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

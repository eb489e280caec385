/**
 * A memcached session store for express-session: {@link DalliSessionStore}.
 *
 * @packageDocumentation
 * @module @dalli/express-session
 */
export type { ConnectMemcachedOptions } from './connect-memcached-sessions.ts';
export { DalliSessionStore, SessionMismatchError, TOMBSTONE_TTL } from './dalli-session-store.ts';
export { DEFAULT_TTL } from './session-ttl.ts';
export type { DalliSessionStoreOptions, SessionSerializer, TtlOption } from './store-options.ts';

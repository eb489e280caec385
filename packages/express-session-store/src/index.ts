/**
 * A memcached session store for express-session: {@link DalliSessionStore}.
 *
 * @packageDocumentation
 * @module @dalli/express-session
 */

export type { ConnectMemcachedOptions } from './connect-memcached-sessions.ts';
export {
  DalliSessionStore,
  type DalliSessionStoreOptions,
  SessionMismatchError,
  type SessionSerializer,
} from './dalli-session-store.ts';
export { DEFAULT_TTL, type TtlOption } from './session-ttl.ts';

/**
 * memcached storage for Keyv, over `@dalli/core`: {@link KeyvDalli} for Keyv 6, {@link KeyvDalliV5} for Keyv 5.
 *
 * @packageDocumentation
 * @module @dalli/keyv
 */
export { IteratorUnsupportedError, KeyvDalli, type StorageCapability } from './keyv-dalli.ts';
export { KeyvDalliV5 } from './keyv-dalli-v5.ts';

/**
 * A memcached driver for unstorage (the storage layer of Nitro and Nuxt), over `@dalli/core`:
 * start with {@link dalliDriver}.
 *
 * @packageDocumentation
 * @module @dalli/unstorage
 */
export { dalliDriver } from './dalli-driver.ts';
export type { DalliDriverOptions } from './driver-options.ts';
export { KeysUnsupportedError } from './keys-unsupported-error.ts';

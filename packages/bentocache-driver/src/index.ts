/**
 * A memcached L2 driver for bentocache, over `@dalli/core`: start with {@link dalliDriver}.
 *
 * @packageDocumentation
 * @module @dalli/bentocache
 */
export { DalliL2Driver, dalliDriver } from './dalli-l2-driver.ts';
export type { DalliDriverOptions } from './driver-options.ts';

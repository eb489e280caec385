/**
 * An opt-in compile-time guard for NestJS 11 and later (@nestjs/cache-manager 3 and later), which
 * ignore `CacheModule.register({ store: dalliStore })` without a word and cache in memory:
 * nothing runs in this package there, so it cannot warn at run time. Merged into
 * @nestjs/cache-manager's options, it turns that line into a compile error (TS2322) that says
 * what to write instead:
 *
 * ```ts
 * import type { NestStoreGuard } from '@dalli/cache-manager';
 *
 * declare module '@nestjs/cache-manager' {
 *   interface CacheManagerOptions extends NestStoreGuard {}
 * }
 * ```
 *
 * Not for NestJS 10 (@nestjs/cache-manager 2), where `store: dalliStore` is the way and its
 * options declare `store` already.
 */
export interface NestStoreGuard {
  /** NestJS 11 and later never read it: see the message. */
  readonly store?: 'NestJS 11+ ignores `store` and caches in memory: write `stores: [dalliStore({ servers })]` (@dalli/cache-manager)';
}

import type { NearCacheFigures } from './channel-messages.ts';
import type { ClientScope } from './client-scope.ts';

/** Every count of {@link NearCacheFigures}, by name (the sizes aside). */
export type NearCacheCount = Exclude<keyof NearCacheFigures, 'entries' | 'bytes'>;

/**
 * The near-cache figures of every client in scope that has one, summed; undefined when none has.
 * Read at each collection from `client.nearCacheStats()`: the near cache counts for itself, so
 * reporting it costs nothing per operation and needs no channel.
 */
export function nearCacheOf(scope: ClientScope): NearCacheFigures | undefined {
  let sum: Record<keyof NearCacheFigures, number> | undefined;
  for (const client of scope.clients()) {
    const figures = client.nearCacheStats?.();
    if (figures === undefined) continue;
    sum ??= {
      hits: 0,
      misses: 0,
      unchanged: 0,
      changed: 0,
      evictions: 0,
      rejections: 0,
      drops: 0,
      entries: 0,
      bytes: 0,
    };
    for (const name of Object.keys(sum) as (keyof NearCacheFigures)[]) sum[name] += figures[name];
  }
  return sum;
}

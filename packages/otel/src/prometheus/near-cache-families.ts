import type { NearCacheFigures } from '../channel-messages.ts';
import type { NearCacheCount } from '../near-cache-figures.ts';
import type { MetricFamily, MetricRegistry } from './exposition.ts';

/** The plain counts: figure, family name, help. */
const COUNTS: ReadonlyArray<readonly [NearCacheCount, string, string]> = [
  ['hits', 'dalli_client_near_cache_hits_total', 'Reads answered by the near cache.'],
  ['misses', 'dalli_client_near_cache_misses_total', 'Reads the near cache sent to the server.'],
  ['evictions', 'dalli_client_near_cache_evictions_total', 'Entries evicted for more requested keys.'],
  ['rejections', 'dalli_client_near_cache_rejections_total', 'Values the near cache did not admit.'],
  ['drops', 'dalli_client_near_cache_drops_total', 'Entries dropped by writes, deletes or invalidations.'],
];

/** The near cache's figures as Prometheus families, set from `client.nearCacheStats()` at each scrape. */
export class NearCacheFamilies {
  readonly #counts: ReadonlyArray<readonly [NearCacheCount, MetricFamily]>;
  readonly #revalidations: MetricFamily;
  readonly #entries: MetricFamily;
  readonly #bytes: MetricFamily;

  constructor(registry: MetricRegistry) {
    this.#counts = COUNTS.map(([figure, name, help]) => [figure, registry.family(name, help, 'counter')] as const);
    this.#revalidations = registry.family(
      'dalli_client_near_cache_revalidations_total',
      'Meta revalidations of near-cache entries, by outcome (unchanged: no value crossed the wire).',
      'counter',
    );
    this.#entries = registry.family('dalli_client_near_cache_entries', 'Entries the near cache holds.', 'gauge');
    this.#bytes = registry.family('dalli_client_near_cache_bytes', 'Bytes the near cache accounts for.', 'gauge');
  }

  /** The figures now; none while the client has no near cache. */
  set(figures: NearCacheFigures | undefined): void {
    if (figures === undefined) return;
    for (const [figure, family] of this.#counts) family.set({}, figures[figure]);
    this.#revalidations.set({ outcome: 'unchanged' }, figures.unchanged);
    this.#revalidations.set({ outcome: 'changed' }, figures.changed);
    this.#entries.set({}, figures.entries);
    this.#bytes.set({}, figures.bytes);
  }
}

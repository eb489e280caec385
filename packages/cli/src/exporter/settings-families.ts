import type { MetricFamily, MetricRegistry } from '@dalli/otel/prometheus';
import { familiesOf, figure, flag, type StatRow, setIfPresent } from './stat-rows.ts';

/** `stats settings` fields read while the LRU crawler is on, as memcached_exporter reads them. */
const LRU_CRAWLER: readonly StatRow[] = [
  ['lru_crawler', 'memcached_lru_crawler_enabled', 'Whether the LRU crawler is enabled.', 'gauge'],
  ['lru_crawler_sleep', 'memcached_lru_crawler_sleep', 'Microseconds to sleep between LRU crawls.', 'gauge'],
  ['lru_crawler_tocrawl', 'memcached_lru_crawler_to_crawl', 'Max items to crawl per slab per run.', 'gauge'],
  [
    'lru_maintainer_thread',
    'memcached_lru_crawler_maintainer_thread',
    'Split LRU mode and background threads.',
    'gauge',
  ],
  ['hot_lru_pct', 'memcached_lru_crawler_hot_percent', 'Percent of slab memory reserved for HOT LRU.', 'gauge'],
  ['warm_lru_pct', 'memcached_lru_crawler_warm_percent', 'Percent of slab memory reserved for WARM LRU.', 'gauge'],
  ['hot_max_factor', 'memcached_lru_crawler_hot_max_factor', 'Set idle age of HOT LRU to COLD age * this', 'gauge'],
  ['warm_max_factor', 'memcached_lru_crawler_warm_max_factor', 'Set idle age of WARM LRU to COLD age * this', 'gauge'],
];

/** The families memcached_exporter reads from `stats settings`: the connection cap and the LRU crawler's. */
export class SettingsFamilies {
  readonly #maxConnections: MetricFamily;
  readonly #crawler: ReadonlyArray<readonly [string, MetricFamily]>;

  constructor(registry: MetricRegistry) {
    this.#maxConnections = registry.family('memcached_max_connections', 'Maximum number of clients allowed.', 'gauge');
    this.#crawler = familiesOf(registry, LRU_CRAWLER);
  }

  clear(): void {
    this.#maxConnections.clear();
    for (const [, family] of this.#crawler) family.clear();
  }

  /** One server's settings; the crawler's only while it runs, as memcached_exporter does. */
  add(server: string, settings: Readonly<Record<string, string>>): void {
    const labels = { server };
    setIfPresent(this.#maxConnections, labels, figure(settings.maxconns));
    if (settings.lru_crawler !== 'yes') return;
    for (const [field, family] of this.#crawler) setIfPresent(family, labels, flag(settings[field]));
  }
}

import type { Attributes, BatchObservableResult, Meter, Observable } from '@opentelemetry/api';
import { Attr, DB_SYSTEM } from './attribute-names.ts';
import type { ClientScope } from './client-scope.ts';
import { type NearCacheCount, nearCacheOf } from './near-cache-figures.ts';

const SYSTEM: Attributes = { [Attr.dbSystemName]: DB_SYSTEM };
const UNCHANGED: Attributes = { ...SYSTEM, [Attr.revalidation]: 'unchanged' };
const CHANGED: Attributes = { ...SYSTEM, [Attr.revalidation]: 'changed' };

/** The plain counts: figure, metric name, description, unit. */
const COUNTS: ReadonlyArray<readonly [NearCacheCount, string, string, string]> = [
  ['hits', 'dalli.client.near_cache.hits', 'Reads answered by the near cache.', '{key}'],
  ['misses', 'dalli.client.near_cache.misses', 'Reads the near cache sent to the server.', '{key}'],
  ['evictions', 'dalli.client.near_cache.evictions', 'Entries evicted for more requested keys.', '{entry}'],
  ['rejections', 'dalli.client.near_cache.rejections', 'Values the near cache did not admit.', '{entry}'],
  ['drops', 'dalli.client.near_cache.drops', 'Entries dropped by writes, deletes or invalidations.', '{entry}'],
];

/**
 * The near cache's figures, read from `client.nearCacheStats()` at each collection (one read for
 * all of them), for the clients in scope that have one: counts (hits, misses, meta revalidations by
 * outcome, evictions, rejections, drops) and sizes (entries, bytes). Nothing per operation.
 * Returns the removal.
 */
export function nearCacheMetrics(meter: Meter, scope: ClientScope): () => void {
  const counts = COUNTS.map(
    ([figure, name, description, unit]) =>
      [figure, meter.createObservableCounter(name, { description, unit })] as const,
  );
  const revalidations = meter.createObservableCounter('dalli.client.near_cache.revalidations', {
    description: 'Meta revalidations of near-cache entries, by outcome (unchanged: no value crossed the wire).',
    unit: '{key}',
  });
  const entries = meter.createObservableUpDownCounter('dalli.client.near_cache.entries', {
    description: 'Entries the near cache holds.',
    unit: '{entry}',
  });
  const size = meter.createObservableUpDownCounter('dalli.client.near_cache.size', {
    description: 'Bytes the near cache accounts for.',
    unit: 'By',
  });
  const observables: Observable[] = [...counts.map(([, instrument]) => instrument), revalidations, entries, size];
  const observe = (result: BatchObservableResult): void => {
    const figures = nearCacheOf(scope);
    if (figures === undefined) return;
    for (const [figure, instrument] of counts) result.observe(instrument, figures[figure], SYSTEM);
    result.observe(revalidations, figures.unchanged, UNCHANGED);
    result.observe(revalidations, figures.changed, CHANGED);
    result.observe(entries, figures.entries, SYSTEM);
    result.observe(size, figures.bytes, SYSTEM);
  };
  meter.addBatchObservableCallback(observe, observables);
  return () => meter.removeBatchObservableCallback(observe, observables);
}

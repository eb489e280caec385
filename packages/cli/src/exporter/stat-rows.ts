import type { Labels, MetricFamily, MetricRegistry } from '@dalli/otel/prometheus';

/**
 * A memcached stats field and the `memcached_exporter` family it feeds: [field, name, help, type].
 * memcached_exporter types a few figures as counters whose names lack `_total`; promtool's lint
 * wants counters to end in `_total`, so those are gauges here, under the name Grafana boards query.
 */
export type StatRow = readonly [field: string, name: string, help: string, type: 'counter' | 'gauge'];

/** The families of `rows`, made in `registry`, each beside its field. */
export function familiesOf(
  registry: MetricRegistry,
  rows: readonly StatRow[],
): ReadonlyArray<readonly [string, MetricFamily]> {
  return rows.map(([field, name, help, type]) => [field, registry.family(name, help, type)] as const);
}

/** A stats figure as a number, or undefined when absent or not numeric (`yes`/`no` aside, see {@link flag}). */
export function figure(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** `stats settings` on/off values as 1/0, as memcached_exporter reads them. */
export function flag(text: string | undefined): number | undefined {
  if (text === 'yes' || text === 'on' || text === 'true') return 1;
  if (text === 'no' || text === 'off' || text === 'false') return 0;
  return figure(text);
}

/** Sets `family{labels}` to the figure, when there is one. */
export function setIfPresent(family: MetricFamily, labels: Labels, value: number | undefined): void {
  if (value !== undefined) family.set(labels, value);
}

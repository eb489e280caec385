import { figure, type RawStats } from './stats-figures.ts';

/** Commands `top` counts, each from the stats that count it. */
const COMMAND_COUNTERS = {
  get: ['cmd_get'],
  set: ['cmd_set'],
  delete: ['delete_hits', 'delete_misses'],
  incr: ['incr_hits', 'incr_misses'],
  decr: ['decr_hits', 'decr_misses'],
  touch: ['cmd_touch'],
} as const;

export type CountedCommand = keyof typeof COMMAND_COUNTERS;

/** One server's activity between two `stats` samples, per second. */
export interface ServerRates {
  readonly opsPerSecond: Readonly<Record<CountedCommand, number>>;
  readonly totalOpsPerSecond: number;
  /** Hits over gets in the interval, 0–1; undefined when there was no get. */
  readonly hitRatio: number | undefined;
  readonly evictionsPerSecond: number;
  readonly bytesInPerSecond: number;
  readonly bytesOutPerSecond: number;
  readonly connections: number;
  readonly items: number;
}

/** Rates from two samples `seconds` apart; counters that went back (a restart) count from 0. */
export function ratesBetween(before: RawStats, after: RawStats, seconds: number): ServerRates {
  const restarted = figure(after, 'uptime') < figure(before, 'uptime');
  const delta = (name: string): number => {
    const grown = figure(after, name) - (restarted ? 0 : figure(before, name));
    return Math.max(0, grown);
  };
  const perSecond = (name: string): number => (seconds > 0 ? delta(name) / seconds : 0);
  const opsPerSecond = Object.fromEntries(
    Object.entries(COMMAND_COUNTERS).map(([command, counters]) => [
      command,
      counters.reduce((sum, name) => sum + perSecond(name), 0),
    ]),
  ) as Record<CountedCommand, number>;
  const hits = delta('get_hits');
  const lookups = hits + delta('get_misses');
  return {
    opsPerSecond,
    totalOpsPerSecond: Object.values(opsPerSecond).reduce((sum, rate) => sum + rate, 0),
    hitRatio: lookups > 0 ? hits / lookups : undefined,
    evictionsPerSecond: perSecond('evictions'),
    bytesInPerSecond: perSecond('bytes_read'),
    bytesOutPerSecond: perSecond('bytes_written'),
    connections: figure(after, 'curr_connections'),
    items: figure(after, 'curr_items'),
  };
}

/** A server's general stats, as memcached sends them (every figure a string). */
export type RawStats = Readonly<Record<string, string>>;

/** The figures people otherwise work out by hand from `stats`. */
export interface StatsSummary {
  readonly version: string | undefined;
  readonly uptimeSeconds: number;
  readonly connections: number;
  readonly totalConnections: number;
  readonly items: number;
  readonly bytesUsed: number;
  readonly bytesLimit: number;
  /** bytes / limit_maxbytes, 0–1. */
  readonly memoryUsedRatio: number | undefined;
  /** get_hits / (get_hits + get_misses), 0–1; undefined before the first get. */
  readonly hitRatio: number | undefined;
  readonly evictions: number;
  /** Evictions per second since the server started (`top` shows the current rate). */
  readonly evictionsPerSecond: number;
}

/** A figure as a number; 0 when the server does not report it. */
export function figure(stats: RawStats, name: string): number {
  const value = Number(stats[name]);
  return Number.isFinite(value) ? value : 0;
}

export function summarize(stats: RawStats): StatsSummary {
  const uptime = figure(stats, 'uptime');
  const hits = figure(stats, 'get_hits');
  const lookups = hits + figure(stats, 'get_misses');
  const bytesUsed = figure(stats, 'bytes');
  const bytesLimit = figure(stats, 'limit_maxbytes');
  const evictions = figure(stats, 'evictions');
  return {
    version: stats.version,
    uptimeSeconds: uptime,
    connections: figure(stats, 'curr_connections'),
    totalConnections: figure(stats, 'total_connections'),
    items: figure(stats, 'curr_items'),
    bytesUsed,
    bytesLimit,
    memoryUsedRatio: bytesLimit > 0 ? bytesUsed / bytesLimit : undefined,
    hitRatio: lookups > 0 ? hits / lookups : undefined,
    evictions,
    evictionsPerSecond: uptime > 0 ? evictions / uptime : 0,
  };
}

/** Bytes in binary units: 512 B, 1.5 KiB, 64.0 MiB. */
export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return unit === 0 ? `${scaled} B` : `${scaled.toFixed(1)} ${units[unit]}`;
}

/** A ratio as a percentage with one decimal, or "-" when there is none. */
export function percent(ratio: number | undefined): string {
  return ratio === undefined ? '-' : `${(ratio * 100).toFixed(1)}%`;
}

/** A duration as its two largest units: 3d 4h, 5h 12m, 7m 3s, 42s. */
export function duration(totalSeconds: number): string {
  const parts: [number, string][] = [
    [Math.floor(totalSeconds / 86_400), 'd'],
    [Math.floor((totalSeconds % 86_400) / 3600), 'h'],
    [Math.floor((totalSeconds % 3600) / 60), 'm'],
    [Math.floor(totalSeconds % 60), 's'],
  ];
  const first = parts.findIndex(([amount]) => amount > 0);
  if (first === -1) return '0s';
  return parts
    .slice(first, first + 2)
    .map(([amount, unit]) => `${amount}${unit}`)
    .join(' ');
}

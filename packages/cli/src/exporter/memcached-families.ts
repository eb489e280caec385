import { MetricRegistry } from '@dalli/otel/prometheus';
import { SettingsFamilies } from './settings-families.ts';
import { SlabFamilies } from './slab-families.ts';
import { familiesOf, figure, type StatRow, setIfPresent } from './stat-rows.ts';

/**
 * The server-side figures of a cluster under the names Prometheus's own `memcached_exporter`
 * uses (`memcached_up`, `memcached_commands_total{command,status}`, `memcached_current_items`…),
 * so Grafana boards built for it work unchanged, with a `server` label because one scrape covers
 * every server. Each family is rebuilt from `stats` on every scrape; the probe latency histogram
 * (client side) accumulates across scrapes.
 */

/** General `stats` fields and their families, for the one-to-one figures. */
const PLAIN: readonly StatRow[] = [
  // memcached_exporter types uptime as a counter; a gauge keeps the name (see StatRow).
  ['uptime', 'memcached_uptime_seconds', 'Number of seconds since the server started.', 'gauge'],
  ['time', 'memcached_time_seconds', 'Current UNIX time according to the server.', 'gauge'],
  ['rusage_user', 'memcached_process_user_cpu_seconds_total', 'Accumulated user time for this process.', 'counter'],
  [
    'rusage_system',
    'memcached_process_system_cpu_seconds_total',
    'Accumulated system time for this process.',
    'counter',
  ],
  ['bytes', 'memcached_current_bytes', 'Current number of bytes used to store items.', 'gauge'],
  ['limit_maxbytes', 'memcached_limit_bytes', 'Number of bytes this server is allowed to use for storage.', 'gauge'],
  ['curr_items', 'memcached_current_items', 'Current number of items stored by this instance.', 'gauge'],
  ['total_items', 'memcached_items_total', 'Total number of items stored during the life of this instance.', 'counter'],
  ['bytes_read', 'memcached_read_bytes_total', 'Total number of bytes read by this server from network.', 'counter'],
  [
    'bytes_written',
    'memcached_written_bytes_total',
    'Total number of bytes sent by this server to network.',
    'counter',
  ],
  ['curr_connections', 'memcached_current_connections', 'Current number of open connections.', 'gauge'],
  [
    'total_connections',
    'memcached_connections_total',
    'Total number of connections opened since the server started running.',
    'counter',
  ],
  [
    'rejected_connections',
    'memcached_connections_rejected_total',
    'Total number of connections rejected at the -c limit.',
    'counter',
  ],
  [
    'conn_yields',
    'memcached_connections_yielded_total',
    "Total number of connections yielded at memcached's -R limit.",
    'counter',
  ],
  [
    'listen_disabled_num',
    'memcached_connections_listener_disabled_total',
    'Times memcached hit its connection limit and disabled its listener.',
    'counter',
  ],
  [
    'evictions',
    'memcached_items_evicted_total',
    'Total number of valid items removed from cache to free memory for new items.',
    'counter',
  ],
  [
    'reclaimed',
    'memcached_items_reclaimed_total',
    'Total number of times an entry was stored using memory from an expired entry.',
    'counter',
  ],
  ['total_malloced', 'memcached_malloced_bytes', 'Number of bytes of memory allocated to slab pages.', 'gauge'],
  [
    'accepting_conns',
    'memcached_accepting_connections',
    'The Memcached server is currently accepting new connections.',
    'gauge',
  ],
  [
    'store_too_large',
    'memcached_item_too_large_total',
    'The number of times an item exceeded the max-item-size when being stored.',
    'counter',
  ],
  [
    'store_no_memory',
    'memcached_item_no_memory_total',
    'The number of times an item could not be stored due to no more memory.',
    'counter',
  ],
  [
    'direct_reclaims',
    'memcached_direct_reclaims_total',
    'Times worker threads had to directly reclaim or evict items.',
    'counter',
  ],
  ['lru_crawler_starts', 'memcached_lru_crawler_starts_total', 'Times an LRU crawler was started.', 'counter'],
  ['crawler_reclaimed', 'memcached_lru_crawler_reclaimed_total', 'Total items freed by LRU Crawler.', 'counter'],
  [
    'crawler_items_checked',
    'memcached_lru_crawler_items_checked_total',
    'Total items examined by LRU Crawler.',
    'counter',
  ],
  [
    'moves_to_cold',
    'memcached_lru_crawler_moves_to_cold_total',
    "Total number of items moved from HOT/WARM to COLD LRU's.",
    'counter',
  ],
  [
    'moves_to_warm',
    'memcached_lru_crawler_moves_to_warm_total',
    'Total number of items moved from COLD to WARM LRU.',
    'counter',
  ],
  [
    'moves_within_lru',
    'memcached_lru_crawler_moves_within_lru_total',
    "Total number of items reshuffled within HOT or WARM LRU's.",
    'counter',
  ],
];

/** The commands whose `<command>_hits` / `<command>_misses` memcached counts. */
const HIT_MISS_COMMANDS = ['get', 'delete', 'incr', 'decr', 'cas', 'touch'] as const;

/** The probe latency buckets, seconds: the database conventions' duration buckets. */
const PROBE_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** One server's answer to a probe: its `stats`, or nothing when it could not be reached. */
export interface ServerProbe {
  readonly server: string;
  readonly stats: Readonly<Record<string, string>> | undefined;
  /** `stats settings`, `stats items`, `stats slabs`: each absent when that request failed (a proxy may refuse them). */
  readonly settings?: Readonly<Record<string, string>> | undefined;
  readonly items?: Readonly<Record<string, string>> | undefined;
  readonly slabs?: Readonly<Record<string, string>> | undefined;
  /** Seconds the `stats` request took (or took to fail). */
  readonly seconds: number;
}

/** The families of one exporter, rebuilt from each scrape's probes. */
export class MemcachedFamilies {
  readonly #registry = new MetricRegistry();
  readonly #up = this.#registry.family('memcached_up', 'Could the memcached server be reached.', 'gauge');
  readonly #version = this.#registry.family('memcached_version', 'The version of this memcached server.', 'gauge');
  readonly #commands = this.#registry.family(
    'memcached_commands_total',
    'Total number of all requests broken down by command (get, set, etc.) and status.',
    'counter',
  );
  readonly #plain = familiesOf(this.#registry, PLAIN);
  readonly #settings = new SettingsFamilies(this.#registry);
  readonly #slabs = new SlabFamilies(this.#registry);
  readonly #probe = this.#registry.family(
    'dalli_exporter_probe_duration_seconds',
    'Seconds the exporter waited for each server to answer stats (client side).',
    'histogram',
    PROBE_BUCKETS,
  );

  /** The exposition text of these probes (the probe histogram keeps earlier scrapes too). */
  render(probes: readonly ServerProbe[]): string {
    for (const family of [this.#up, this.#version, this.#commands, ...this.#plain.map(([, family]) => family)])
      family.clear();
    this.#settings.clear();
    this.#slabs.clear();
    for (const probe of probes) this.#add(probe);
    return this.#registry.render();
  }

  #add({ server, stats, seconds, settings, items, slabs }: ServerProbe): void {
    const labels = { server };
    this.#up.set(labels, stats === undefined ? 0 : 1);
    this.#probe.observe(labels, seconds);
    if (stats === undefined) return;
    if (stats.version !== undefined) this.#version.set({ server, version: stats.version }, 1);
    for (const [field, family] of this.#plain) setIfPresent(family, labels, figure(stats[field]));
    if (settings !== undefined) this.#settings.add(server, settings);
    if (items !== undefined) this.#slabs.addItems(server, items);
    if (slabs !== undefined) this.#slabs.addSlabs(server, slabs);
    const command = (name: string, status: string, value: number | undefined): void => {
      if (value !== undefined) this.#commands.set({ server, command: name, status }, value);
    };
    for (const name of HIT_MISS_COMMANDS) {
      command(name, 'hit', figure(stats[`${name}_hits`]));
      command(name, 'miss', figure(stats[`${name}_misses`]));
    }
    command('cas', 'badval', figure(stats.cas_badval));
    command('flush', 'hit', figure(stats.cmd_flush));
    // memcached counts cas again in cmd_set, so sets alone are cmd_set less every cas outcome.
    const sets = figure(stats.cmd_set);
    const cas = ['cas_hits', 'cas_misses', 'cas_badval'].map((field) => figure(stats[field]) ?? 0);
    if (sets !== undefined) command('set', 'hit', sets - cas.reduce((a, b) => a + b, 0));
  }
}

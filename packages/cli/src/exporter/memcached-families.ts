import { type Labels, type MetricFamily, MetricRegistry } from '@dalli/otel/prometheus';

/**
 * The server-side figures of a cluster under the names Prometheus's own `memcached_exporter`
 * uses (`memcached_up`, `memcached_commands_total{command,status}`, `memcached_current_items`…),
 * so Grafana boards built for it work unchanged, with a `server` label because one scrape covers
 * every server. Each family is rebuilt from `stats` on every scrape; the probe latency histogram
 * (client side) accumulates across scrapes.
 */

/** stats field → [family name, help, type], for the one-to-one figures. */
const PLAIN: ReadonlyArray<readonly [string, string, string, 'counter' | 'gauge']> = [
  // memcached_exporter types uptime as a counter; promtool's lint wants counters to end in _total, and
  // a gauge keeps the name Grafana boards query.
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
];

/** The commands whose `<command>_hits` / `<command>_misses` memcached counts. */
const HIT_MISS_COMMANDS = ['get', 'delete', 'incr', 'decr', 'cas', 'touch'] as const;

/** The probe latency buckets, seconds: the database conventions' duration buckets. */
const PROBE_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** One server's answer to a probe: its `stats`, or nothing when it could not be reached. */
export interface ServerProbe {
  readonly server: string;
  readonly stats: Readonly<Record<string, string>> | undefined;
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
  readonly #plain = PLAIN.map(([field, name, help, type]) => [field, this.#registry.family(name, help, type)] as const);
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
    for (const probe of probes) this.#add(probe);
    return this.#registry.render();
  }

  #add({ server, stats, seconds }: ServerProbe): void {
    const labels = { server };
    this.#up.set(labels, stats === undefined ? 0 : 1);
    this.#probe.observe(labels, seconds);
    if (stats === undefined) return;
    if (stats.version !== undefined) this.#version.set({ server, version: stats.version }, 1);
    for (const [field, family] of this.#plain) setIfPresent(family, labels, stats[field]);
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

function figure(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function setIfPresent(family: MetricFamily, labels: Labels, text: string | undefined): void {
  const value = figure(text);
  if (value !== undefined) family.set(labels, value);
}

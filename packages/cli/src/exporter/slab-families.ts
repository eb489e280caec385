import type { MetricFamily, MetricRegistry } from '@dalli/otel/prometheus';
import { familiesOf, figure, type StatRow, setIfPresent } from './stat-rows.ts';

/** `stats items` fields (`items:<slab>:<field>`) and their per-slab families, as memcached_exporter names them. */
const ITEMS: readonly StatRow[] = [
  ['number', 'memcached_slab_current_items', 'Number of items currently stored in this slab class.', 'gauge'],
  ['age', 'memcached_slab_items_age_seconds', 'Number of seconds the oldest item has been in the slab class.', 'gauge'],
  [
    'crawler_reclaimed',
    'memcached_slab_items_crawler_reclaimed_total',
    'Number of items freed by the LRU Crawler.',
    'counter',
  ],
  [
    'evicted',
    'memcached_slab_items_evicted_total',
    'Total number of times an item had to be evicted from the LRU before it expired.',
    'counter',
  ],
  [
    'evicted_nonzero',
    'memcached_slab_items_evicted_nonzero_total',
    'Total number of times an item which had an explicit expire time set had to be evicted from the LRU before it expired.',
    'counter',
  ],
  [
    'evicted_time',
    'memcached_slab_items_evicted_time_seconds',
    'Seconds since the last access for the most recent item evicted from this class.',
    'gauge',
  ],
  [
    'evicted_unfetched',
    'memcached_slab_items_evicted_unfetched_total',
    'Total number of items evicted and never fetched.',
    'counter',
  ],
  [
    'expired_unfetched',
    'memcached_slab_items_expired_unfetched_total',
    'Total number of valid items evicted from the LRU which were never touched after being set.',
    'counter',
  ],
  [
    'outofmemory',
    'memcached_slab_items_outofmemory_total',
    'Total number of items for this slab class that have triggered an out of memory error.',
    'counter',
  ],
  ['reclaimed', 'memcached_slab_items_reclaimed_total', 'Total number of items reclaimed.', 'counter'],
  [
    'tailrepairs',
    'memcached_slab_items_tailrepairs_total',
    'Total number of times the entries for a particular ID need repairing.',
    'counter',
  ],
  [
    'mem_requested',
    'memcached_slab_mem_requested_bytes',
    'Number of bytes of memory actual items take up within a slab.',
    'gauge',
  ],
  ['moves_to_cold', 'memcached_slab_items_moves_to_cold', 'Number of items moved from HOT or WARM into COLD.', 'gauge'],
  ['moves_to_warm', 'memcached_slab_items_moves_to_warm', 'Number of items moves from COLD into WARM.', 'gauge'],
  [
    'moves_within_lru',
    'memcached_slab_items_moves_within_lru',
    'Number of times active items were bumped within HOT or WARM.',
    'gauge',
  ],
  ['number_hot', 'memcached_slab_hot_items', 'Number of items presently stored in the HOT LRU.', 'gauge'],
  ['number_warm', 'memcached_slab_warm_items', 'Number of items presently stored in the WARM LRU.', 'gauge'],
  ['number_cold', 'memcached_slab_cold_items', 'Number of items presently stored in the COLD LRU.', 'gauge'],
  ['number_temp', 'memcached_slab_temporary_items', 'Number of items presently stored in the TEMPORARY LRU.', 'gauge'],
  ['age_hot', 'memcached_slab_hot_age_seconds', 'Age of the oldest item in HOT LRU.', 'gauge'],
  ['age_warm', 'memcached_slab_warm_age_seconds', 'Age of the oldest item in WARM LRU.', 'gauge'],
];

/** `stats slabs` fields (`<slab>:<field>`) and their per-slab families. */
const SLABS: readonly StatRow[] = [
  [
    'chunk_size',
    'memcached_slab_chunk_size_bytes',
    'Number of bytes allocated to each chunk within this slab class.',
    'gauge',
  ],
  [
    'chunks_per_page',
    'memcached_slab_chunks_per_page',
    'Number of chunks within a single page for this slab class.',
    'gauge',
  ],
  ['total_pages', 'memcached_slab_current_pages', 'Number of pages allocated to this slab class.', 'gauge'],
  ['total_chunks', 'memcached_slab_current_chunks', 'Number of chunks allocated to this slab class.', 'gauge'],
  ['used_chunks', 'memcached_slab_chunks_used', 'Number of chunks allocated to an item.', 'gauge'],
  ['free_chunks', 'memcached_slab_chunks_free', 'Number of chunks not yet allocated items.', 'gauge'],
  [
    'free_chunks_end',
    'memcached_slab_chunks_free_end',
    'Number of free chunks at the end of the last allocated page.',
    'gauge',
  ],
  // memcached before 1.6 reports it here; later ones in `stats items` (the same family either way).
  [
    'mem_requested',
    'memcached_slab_mem_requested_bytes',
    'Number of bytes of memory actual items take up within a slab.',
    'gauge',
  ],
];

/** `hits_to_<lru>` → the `lru` label of `memcached_slab_lru_hits_total`. */
const LRU_HITS = [
  ['hits_to_hot', 'hot'],
  ['hits_to_warm', 'warm'],
  ['hits_to_cold', 'cold'],
  ['hits_to_temp', 'temporary'],
] as const;

/** The commands whose per-slab `<command>_hits` memcached counts. */
const SLAB_HIT_COMMANDS = ['get', 'delete', 'incr', 'decr', 'cas', 'touch'] as const;

/**
 * The per-slab families memcached_exporter reads from `stats items` and `stats slabs`, labelled
 * `slab` (the class id) beside `server`.
 */
export class SlabFamilies {
  readonly #items: ReadonlyArray<readonly [string, MetricFamily]>;
  readonly #slabs: ReadonlyArray<readonly [string, MetricFamily]>;
  readonly #lruHits: MetricFamily;
  readonly #commands: MetricFamily;

  constructor(registry: MetricRegistry) {
    this.#items = familiesOf(registry, ITEMS);
    // The same family may come from both tables (mem_requested): made once, found by name.
    const byName = new Map(ITEMS.map(([, name], i) => [name, this.#items[i]?.[1] as MetricFamily]));
    this.#slabs = SLABS.map(
      ([field, name, help, type]) => [field, byName.get(name) ?? registry.family(name, help, type)] as const,
    );
    this.#lruHits = registry.family('memcached_slab_lru_hits_total', 'Number of get_hits to the LRU.', 'counter');
    this.#commands = registry.family(
      'memcached_slab_commands_total',
      'Total number of all requests broken down by command (get, set, etc.) and status per slab.',
      'counter',
    );
  }

  clear(): void {
    for (const [, family] of [...this.#items, ...this.#slabs]) family.clear();
    this.#lruHits.clear();
    this.#commands.clear();
  }

  /** One server's `stats items` (keys `items:<slab>:<field>`). */
  addItems(server: string, items: Readonly<Record<string, string>>): void {
    for (const [slab, fields] of bySlab(items, 'items:')) {
      const labels = { server, slab };
      for (const [field, family] of this.#items) setIfPresent(family, labels, figure(fields.get(field)));
      for (const [field, lru] of LRU_HITS)
        setIfPresent(this.#lruHits, { server, slab, lru }, figure(fields.get(field)));
    }
  }

  /** One server's `stats slabs` (keys `<slab>:<field>`, and totals without a slab). */
  addSlabs(server: string, slabs: Readonly<Record<string, string>>): void {
    for (const [slab, fields] of bySlab(slabs, '')) {
      const labels = { server, slab };
      for (const [field, family] of this.#slabs) setIfPresent(family, labels, figure(fields.get(field)));
      const command = (name: string, status: string, value: number | undefined): void =>
        setIfPresent(this.#commands, { server, slab, command: name, status }, value);
      for (const name of SLAB_HIT_COMMANDS) command(name, 'hit', figure(fields.get(`${name}_hits`)));
      command('cas', 'badval', figure(fields.get('cas_badval')));
      // As memcached_exporter: a slab's cmd_set counts its cas hits and bad values again.
      const sets = figure(fields.get('cmd_set'));
      const cas = (figure(fields.get('cas_hits')) ?? 0) + (figure(fields.get('cas_badval')) ?? 0);
      if (sets !== undefined) command('set', 'hit', sets - cas);
    }
  }
}

/** `<prefix><slab>:<field>` keys grouped by slab id; keys without a numeric slab id are left out. */
function bySlab(stats: Readonly<Record<string, string>>, prefix: string): Map<string, Map<string, string>> {
  const slabs = new Map<string, Map<string, string>>();
  for (const [key, value] of Object.entries(stats)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const colon = rest.indexOf(':');
    const slab = rest.slice(0, colon);
    if (colon <= 0 || !/^\d+$/.test(slab)) continue;
    let fields = slabs.get(slab);
    if (fields === undefined) {
      fields = new Map();
      slabs.set(slab, fields);
    }
    fields.set(rest.slice(colon + 1), value);
  }
  return slabs;
}

import { DURATION_BUCKETS } from '../attribute-names.ts';
import { errorType, type ObservedClient, TIMEOUT_CODE } from '../channel-messages.ts';
import { OneClient } from '../client-scope.ts';
import { observeOperations } from '../operation-observer.ts';
import { answeringServer, failedOver, hitsOf, missesOf, outcomeOf, retriesOf } from '../operation-outcome.ts';
import { type Labels, type MetricFamily, MetricRegistry } from './exposition.ts';
import { NearCacheFamilies } from './near-cache-families.ts';

/**
 * A client's own metrics as Prometheus families, fed by its diagnostics channels: what the
 * OpenTelemetry metrics carry, under Prometheus names (`dalli_client_…`, seconds, `_total`
 * counters). Labels are operation, server and outcome, never a key. `server` is empty for an
 * operation that went to several servers.
 */
export class ClientMetrics {
  readonly #client: ObservedClient;
  readonly #registry = new MetricRegistry();
  readonly #duration: MetricFamily;
  readonly #up: MetricFamily;
  readonly #connections: MetricFamily;
  readonly #inFlight: MetricFamily;
  readonly #nearCache: NearCacheFamilies;
  readonly #stop: () => void;
  readonly #labels = new LabelCache();

  constructor(client: ObservedClient) {
    this.#client = client;
    const r = this.#registry;
    this.#duration = r.family(
      'dalli_client_operation_duration_seconds',
      'Duration of memcached operations, from the call to the settled promise.',
      'histogram',
      DURATION_BUCKETS,
    );
    const hits = r.family('dalli_client_hits_total', 'Keys found by reads.', 'counter');
    const misses = r.family('dalli_client_misses_total', 'Keys missing on reads.', 'counter');
    const errors = r.family('dalli_client_errors_total', 'Operations that failed, by error code.', 'counter');
    const timeouts = r.family('dalli_client_timeouts_total', 'Operations that timed out.', 'counter');
    const retries = r.family('dalli_client_retries_total', 'Requests sent again after a failure.', 'counter');
    const failovers = r.family('dalli_client_failovers_total', 'Operations answered by a failover server.', 'counter');
    const fetches = r.family('dalli_client_fetch_events_total', 'Stampede decisions of fetch, by event.', 'counter');
    const downs = r.family('dalli_client_server_down_events_total', 'Times a server was marked down.', 'counter');
    const localHits = r.family('dalli_client_local_cache_hits_total', 'Reads answered by the local cache.', 'counter');
    const routeEvents = r.family('dalli_client_route_events_total', 'What the routes did, by event.', 'counter');
    this.#up = r.family('dalli_client_server_up', '1 while the client counts the server up, else 0.', 'gauge');
    this.#connections = r.family('dalli_client_connections', 'Open connections, by server.', 'gauge');
    this.#inFlight = r.family(
      'dalli_client_requests_in_flight',
      'Requests sent and not yet answered, plus those queued behind them.',
      'gauge',
    );
    this.#nearCache = new NearCacheFamilies(r);
    this.#stop = observeOperations(new OneClient(client), {
      operation: (message, seconds) => {
        const labels = this.#labels.of(message.operation, answeringServer(message) ?? '');
        this.#duration.observe(this.#labels.with(labels, 'outcome', outcomeOf(message)), seconds);
        const found = hitsOf(message);
        const missing = missesOf(message);
        if (found > 0) hits.add(labels, found);
        if (missing > 0) misses.add(labels, missing);
        if (message.error !== undefined) {
          const code = errorType(message.error);
          errors.add(this.#labels.with(labels, 'error_type', code));
          if (code === TIMEOUT_CODE) timeouts.add(labels);
        }
        const sentAgain = retriesOf(message);
        if (sentAgain > 0) retries.add(labels, sentAgain);
        if (failedOver(message)) failovers.add(labels);
      },
      fetch: (event) => fetches.add({ event }),
      serverDown: (server) => downs.add({ server }),
      localCacheHit: () => localHits.add({}),
      route: (event) => routeEvents.add({ event }),
    });
  }

  /** Every family in the text exposition format, the server gauges read now. */
  render(): string {
    this.#up.clear();
    this.#connections.clear();
    this.#inFlight.clear();
    for (const server of this.#client.servers()) {
      const labels = { server: server.name };
      this.#up.set(labels, server.up ? 1 : 0);
      this.#connections.set(labels, server.connected ? 1 : 0);
      this.#inFlight.set(labels, server.inFlight);
    }
    this.#nearCache.set(this.#client.nearCacheStats?.());
    return this.#registry.render();
  }

  /** Stops counting (the figures so far stay readable). */
  stop(): void {
    this.#stop();
  }
}

/**
 * Label objects made once per (operation, server) and per extra label value, so counting an
 * operation builds no object and no label text: families find a series by its label object.
 */
class LabelCache {
  readonly #rows = new Map<string, Map<string, Labels>>();
  readonly #extended = new WeakMap<Labels, Map<string, Map<string, Labels>>>();

  of(operation: string, server: string): Labels {
    let byServer = this.#rows.get(operation);
    if (byServer === undefined) {
      byServer = new Map();
      this.#rows.set(operation, byServer);
    }
    let labels = byServer.get(server);
    if (labels === undefined) {
      labels = { operation, server };
      byServer.set(server, labels);
    }
    return labels;
  }

  /** `labels` plus `name="value"`. */
  with(labels: Labels, name: string, value: string): Labels {
    let byName = this.#extended.get(labels);
    if (byName === undefined) {
      byName = new Map();
      this.#extended.set(labels, byName);
    }
    let byValue = byName.get(name);
    if (byValue === undefined) {
      byValue = new Map();
      byName.set(name, byValue);
    }
    let extended = byValue.get(value);
    if (extended === undefined) {
      extended = { ...labels, [name]: value };
      byValue.set(value, extended);
    }
    return extended;
  }
}

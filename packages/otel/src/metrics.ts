import type { Meter, ObservableResult } from '@opentelemetry/api';
import { Attr, DB_SYSTEM, DURATION_BUCKETS } from './attribute-names.ts';
import { errorType, TIMEOUT_CODE } from './channel-messages.ts';
import type { ClientScope } from './client-scope.ts';
import { CounterTable } from './counter-table.ts';
import { nearCacheMetrics } from './near-cache-metrics.ts';
import { observeOperations } from './operation-observer.ts';
import { answeringServer, failedOver, hitsOf, missesOf, outcomeOf, retriesOf } from './operation-outcome.ts';
import { type OperationRow, OperationRows, serverAttributes } from './operation-rows.ts';
import { serverGauges } from './server-gauges.ts';

/**
 * The client's metrics on `meter`: the conventions' `db.client.operation.duration` histogram
 * (per operation, server and outcome), hits and misses, timeouts, retries, failovers, `fetch`'s
 * stampede decisions, servers marked down, local-cache hits, and, read from the clients' `servers()`
 * at each collection, server up/down, open connections and requests in flight. No attribute carries a key, so the
 * cardinality is operations × servers × outcomes. Counters are kept here and observed at
 * collection; only the histogram is recorded per operation, with attribute sets made once
 * (see {@link OperationRows}). Returns the unsubscribe.
 */
export function meterOperations(scope: ClientScope, meter: Meter): () => void {
  const duration = meter.createHistogram('db.client.operation.duration', {
    description: 'Duration of memcached operations, from the call to the settled promise.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const rows = new OperationRows();
  const perOperation = [
    rowCounter(meter, rows, 'dalli.client.hits', 'Keys found by reads.', (row) => row.hits, '{key}'),
    rowCounter(meter, rows, 'dalli.client.misses', 'Keys missing on reads.', (row) => row.misses, '{key}'),
    rowCounter(meter, rows, 'dalli.client.timeouts', 'Operations that timed out.', (row) => row.timeouts),
    rowCounter(meter, rows, 'dalli.client.retries', 'Requests sent again after a failure.', (row) => row.retries),
    rowCounter(
      meter,
      rows,
      'dalli.client.failovers',
      'Operations answered by a failover server.',
      (row) => row.failovers,
    ),
  ];
  const fetchEvents = counter(meter, 'dalli.client.fetch.events', 'Stampede decisions of fetch, by event.');
  const downs = counter(meter, 'dalli.client.server.down_events', 'Times a server was marked down.');
  const routeEvents = counter(meter, 'dalli.client.route.events', 'What the routes did (routes option), by event.');
  const localHits = counter(
    meter,
    'dalli.client.local_cache.hits',
    'Reads answered by the local cache (withLocalCache).',
  );
  const stop = observeOperations(scope, {
    operation(message, seconds) {
      const row = rows.row(message.operation, answeringServer(message));
      const failure = message.error === undefined ? undefined : errorType(message.error);
      duration.record(seconds, rows.outcomeAttributes(row, outcomeOf(message), failure));
      row.hits += hitsOf(message);
      row.misses += missesOf(message);
      if (failure === TIMEOUT_CODE) row.timeouts++;
      row.retries += retriesOf(message);
      if (failedOver(message)) row.failovers++;
    },
    fetch(event) {
      fetchEvents.table.add(event, () => ({ [Attr.dbSystemName]: DB_SYSTEM, [Attr.fetchEvent]: event }));
    },
    serverDown(server) {
      downs.table.add(server, () => serverAttributes(server));
    },
    localCacheHit() {
      localHits.table.add('', () => ({ [Attr.dbSystemName]: DB_SYSTEM }));
    },
    route(event) {
      routeEvents.table.add(event, () => ({ [Attr.dbSystemName]: DB_SYSTEM, [Attr.routeEvent]: event }));
    },
  });
  const gauges = serverGauges(meter, scope);
  const nearCache = nearCacheMetrics(meter, scope);
  return () => {
    stop();
    for (const remove of perOperation) remove();
    for (const { instrument, table } of [fetchEvents, downs, localHits, routeEvents])
      instrument.removeCallback(table.observe);
    gauges();
    nearCache();
  };
}

/** An observable counter over the operation rows; returns its removal. Rows still at 0 are left out. */
function rowCounter(
  meter: Meter,
  rows: OperationRows,
  name: string,
  description: string,
  value: (row: OperationRow) => number,
  unit?: string,
): () => void {
  const instrument = meter.createObservableCounter(name, { description, ...(unit === undefined ? {} : { unit }) });
  const observe = (result: ObservableResult): void => {
    for (const row of rows) if (value(row) > 0) result.observe(value(row), row.attributes);
  };
  instrument.addCallback(observe);
  return () => instrument.removeCallback(observe);
}

function counter(meter: Meter, name: string, description: string) {
  const instrument = meter.createObservableCounter(name, { description });
  const table = new CounterTable();
  instrument.addCallback(table.observe);
  return { instrument, table };
}

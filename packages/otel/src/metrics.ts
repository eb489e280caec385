import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import { Attr, DB_SYSTEM, DURATION_BUCKETS } from './attribute-names.ts';
import { type ObservedClient, TIMEOUT_CODE } from './channel-messages.ts';
import { CounterTable } from './counter-table.ts';
import { type OperationRecord, observeOperations } from './operation-observer.ts';
import { serverAddress } from './server-address.ts';

/**
 * The client's metrics on `meter`: the conventions' `db.client.operation.duration` histogram
 * (per operation, server and outcome), hits and misses, timeouts, retries, failovers, `fetch`'s
 * stampede decisions, servers marked down, local-cache hits, and, read from `client.servers()` at each collection,
 * server up/down, open connections and requests in flight. No attribute carries a key, so the
 * cardinality is operations × servers × outcomes. Counters are kept here and observed at
 * collection; only the histogram is recorded per operation, with attribute sets made once.
 * Returns the unsubscribe.
 */
export function meterOperations(client: ObservedClient, meter: Meter): () => void {
  const duration = meter.createHistogram('db.client.operation.duration', {
    description: 'Duration of memcached operations, from the call to the settled promise.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const counters = {
    hits: counter(meter, 'dalli.client.hits', 'Keys found by reads.', '{key}'),
    misses: counter(meter, 'dalli.client.misses', 'Keys missing on reads.', '{key}'),
    timeouts: counter(meter, 'dalli.client.timeouts', 'Operations that timed out.'),
    retries: counter(meter, 'dalli.client.retries', 'Requests sent again after a failure.'),
    failovers: counter(meter, 'dalli.client.failovers', 'Operations answered by a failover server.'),
    fetchEvents: counter(meter, 'dalli.client.fetch.events', 'Stampede decisions of fetch, by event.'),
    downs: counter(meter, 'dalli.client.server.down_events', 'Times a server was marked down.'),
    localHits: counter(meter, 'dalli.client.local_cache.hits', 'Reads answered by the local cache (withLocalCache).'),
  };
  const durationAttributes = new Map<string, Attributes>();
  const stop = observeOperations(client, {
    operation(record) {
      const key = `${record.operation} ${record.server ?? ''}`;
      const labelled = `${key} ${record.outcome} ${record.errorType ?? ''}`;
      let attributes = durationAttributes.get(labelled);
      if (attributes === undefined) {
        attributes = { ...operationAttributes(record), [Attr.outcome]: record.outcome, ...errorAttribute(record) };
        durationAttributes.set(labelled, attributes);
      }
      duration.record(record.durationSeconds, attributes);
      const operation = () => operationAttributes(record);
      if (record.hits > 0) counters.hits.table.add(key, operation, record.hits);
      if (record.misses > 0) counters.misses.table.add(key, operation, record.misses);
      if (record.errorType === TIMEOUT_CODE) counters.timeouts.table.add(key, operation);
      if (record.retries > 0) counters.retries.table.add(key, operation, record.retries);
      if (record.failedOver) counters.failovers.table.add(key, operation);
    },
    fetch(event) {
      counters.fetchEvents.table.add(event, () => ({ [Attr.dbSystemName]: DB_SYSTEM, [Attr.fetchEvent]: event }));
    },
    serverDown(server) {
      counters.downs.table.add(server, () => serverAttributes(server));
    },
    localCacheHit() {
      counters.localHits.table.add('', () => ({ [Attr.dbSystemName]: DB_SYSTEM }));
    },
  });
  const gauges = serverGauges(meter, client);
  return () => {
    stop();
    for (const { instrument, table } of Object.values(counters)) instrument.removeCallback(table.observe);
    gauges();
  };
}

function counter(meter: Meter, name: string, description: string, unit?: string) {
  const instrument = meter.createObservableCounter(name, { description, ...(unit === undefined ? {} : { unit }) });
  const table = new CounterTable();
  instrument.addCallback(table.observe);
  return { instrument, table };
}

/** The gauges read from `client.servers()` at each collection; returns their removal. */
function serverGauges(meter: Meter, client: ObservedClient): () => void {
  const up = meter.createObservableGauge('dalli.client.server.up', {
    description: '1 while the client counts the server up, 0 while it is marked down.',
  });
  const connections = meter.createObservableUpDownCounter('db.client.connection.count', {
    description: 'Open connections, by server (the pool) and state (used: requests in flight).',
    unit: '{connection}',
  });
  const inFlight = meter.createObservableUpDownCounter('dalli.client.requests.in_flight', {
    description: 'Requests sent and not yet answered, by server.',
    unit: '{request}',
  });
  const observeUp = (result: ObservableResult): void => {
    for (const server of client.servers()) result.observe(server.up ? 1 : 0, serverAttributes(server.name));
  };
  const observeConnections = (result: ObservableResult): void => {
    for (const server of client.servers()) {
      result.observe(server.connected ? 1 : 0, {
        [Attr.dbSystemName]: DB_SYSTEM,
        [Attr.connectionPoolName]: server.name,
        [Attr.connectionState]: server.inFlight > 0 ? 'used' : 'idle',
      });
    }
  };
  const observeInFlight = (result: ObservableResult): void => {
    for (const server of client.servers()) result.observe(server.inFlight, serverAttributes(server.name));
  };
  up.addCallback(observeUp);
  connections.addCallback(observeConnections);
  inFlight.addCallback(observeInFlight);
  return () => {
    up.removeCallback(observeUp);
    connections.removeCallback(observeConnections);
    inFlight.removeCallback(observeInFlight);
  };
}

function serverAttributes(server: string): Attributes {
  const { address, port } = serverAddress(server);
  const attributes: Attributes = { [Attr.dbSystemName]: DB_SYSTEM, [Attr.serverAddress]: address };
  if (port !== undefined) attributes[Attr.serverPort] = port;
  return attributes;
}

function operationAttributes(record: OperationRecord): Attributes {
  const attributes = record.server === undefined ? { [Attr.dbSystemName]: DB_SYSTEM } : serverAttributes(record.server);
  attributes[Attr.dbOperationName] = record.operation;
  return attributes;
}

function errorAttribute(record: OperationRecord): Attributes {
  return record.errorType === undefined ? {} : { [Attr.errorType]: record.errorType };
}

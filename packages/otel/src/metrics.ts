import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import { Attr, DB_SYSTEM, DURATION_BUCKETS } from './attribute-names.ts';
import { type ObservedClient, TIMEOUT_CODE } from './channel-messages.ts';
import { type OperationRecord, observeOperations } from './operation-observer.ts';
import { serverAddress } from './server-address.ts';

/**
 * The client's metrics on `meter`: the conventions' `db.client.operation.duration` histogram
 * (per operation, server and outcome), hits and misses, timeouts, retries, failovers, `fetch`'s
 * stampede decisions, servers marked down, and, read from `client.servers()` at each collection,
 * server up/down, open connections and requests in flight. No attribute carries a key, so the
 * cardinality is operations × servers × outcomes. Returns the unsubscribe.
 */
export function meterOperations(client: ObservedClient, meter: Meter): () => void {
  const duration = meter.createHistogram('db.client.operation.duration', {
    description: 'Duration of memcached operations, from the call to the settled promise.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const hits = meter.createCounter('dalli.client.hits', { description: 'Keys found by reads.', unit: '{key}' });
  const misses = meter.createCounter('dalli.client.misses', { description: 'Keys missing on reads.', unit: '{key}' });
  const timeouts = meter.createCounter('dalli.client.timeouts', { description: 'Operations that timed out.' });
  const retries = meter.createCounter('dalli.client.retries', { description: 'Requests sent again after a failure.' });
  const failovers = meter.createCounter('dalli.client.failovers', {
    description: 'Operations answered by another server than their own, which had failed.',
  });
  const fetchEvents = meter.createCounter('dalli.client.fetch.events', {
    description: 'Stampede decisions of fetch: leaseWon, leaseLost, staleServed, coalesced, wait…',
  });
  const downs = meter.createCounter('dalli.client.server.down_events', {
    description: 'Times a server was marked down after consecutive failures.',
  });
  const stop = observeOperations(client, {
    operation(record) {
      const attributes = operationAttributes(record);
      duration.record(record.durationSeconds, {
        ...attributes,
        [Attr.outcome]: record.outcome,
        ...errorAttribute(record),
      });
      if (record.hits > 0) hits.add(record.hits, attributes);
      if (record.misses > 0) misses.add(record.misses, attributes);
      if (record.errorType === TIMEOUT_CODE) timeouts.add(1, attributes);
      if (record.retries > 0) retries.add(record.retries, attributes);
      if (record.failedOver) failovers.add(1, attributes);
    },
    fetch(event) {
      fetchEvents.add(1, { [Attr.dbSystemName]: DB_SYSTEM, [Attr.fetchEvent]: event });
    },
    serverDown(server) {
      downs.add(1, serverAttributes(server));
    },
  });
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
      const state = server.inFlight > 0 ? 'used' : 'idle';
      result.observe(server.connected ? 1 : 0, {
        [Attr.dbSystemName]: DB_SYSTEM,
        [Attr.connectionPoolName]: server.name,
        [Attr.connectionState]: state,
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
    stop();
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

import type { Meter, ObservableResult } from '@opentelemetry/api';
import { Attr, DB_SYSTEM } from './attribute-names.ts';
import { type ClientScope, serversOf } from './client-scope.ts';
import { serverAttributes } from './operation-rows.ts';

/**
 * The gauges read from the servers of the clients in `scope` at each collection (each server
 * once, see {@link serversOf}); returns their removal.
 */
export function serverGauges(meter: Meter, scope: ClientScope): () => void {
  const up = meter.createObservableGauge('dalli.client.server.up', {
    description: '1 while the clients count the server up, 0 while one marks it down.',
  });
  const connections = meter.createObservableUpDownCounter('db.client.connection.count', {
    description: 'Open connections, by server (the pool) and state (used: requests in flight).',
    unit: '{connection}',
  });
  const inFlight = meter.createObservableUpDownCounter('dalli.client.requests.in_flight', {
    description: 'Requests sent and not yet answered, plus those queued behind them, by server.',
    unit: '{request}',
  });
  const observeUp = (result: ObservableResult): void => {
    for (const server of serversOf(scope)) result.observe(server.up ? 1 : 0, serverAttributes(server.name));
  };
  const observeConnections = (result: ObservableResult): void => {
    for (const server of serversOf(scope)) {
      result.observe(server.connections, {
        [Attr.dbSystemName]: DB_SYSTEM,
        [Attr.connectionPoolName]: server.name,
        [Attr.connectionState]: server.inFlight > 0 ? 'used' : 'idle',
      });
    }
  };
  const observeInFlight = (result: ObservableResult): void => {
    for (const server of serversOf(scope)) result.observe(server.inFlight, serverAttributes(server.name));
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

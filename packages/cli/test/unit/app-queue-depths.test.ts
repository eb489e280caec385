import { MetricRegistry } from '@dalli/otel/prometheus';
import { expect, it } from 'vitest';
import { parseQueueDepths, QUEUE_GAUGE } from '../../src/app-queue-depths.ts';

it("reads the queue gauge as @dalli/otel's registry writes it, server names escaped or not", () => {
  const registry = new MetricRegistry();
  const gauge = registry.family(QUEUE_GAUGE, 'Requests held.', 'gauge');
  registry.family('dalli_client_connections', 'Open connections.', 'gauge').set({ server: '10.0.0.1:11211' }, 1);
  gauge.set({ server: '10.0.0.1:11211' }, 3);
  gauge.set({ server: '[::1]:11211' }, 0);
  gauge.set({ server: '/tmp/a "b"\\c.sock' }, 7);
  expect(parseQueueDepths(registry.render())).toEqual(
    new Map([
      ['10.0.0.1:11211', 3],
      ['[::1]:11211', 0],
      ['/tmp/a "b"\\c.sock', 7],
    ]),
  );
});

it("adds up one server's series from several clients, and skips other families and unreadable lines", () => {
  const text = [
    '# HELP dalli_client_requests_in_flight Requests held.',
    '# TYPE dalli_client_requests_in_flight gauge',
    'dalli_client_requests_in_flight{client="a",server="s:1"} 2',
    'dalli_client_requests_in_flight{server="s:1",client="b"} 5 1700000000000',
    'dalli_client_requests_in_flight_total{server="s:1"} 100',
    'dalli_client_requests_in_flight{server="s:2"}',
    'dalli_client_requests_in_flight{server="s:3} 4',
    'dalli_client_requests_in_flight 9',
    'dalli_client_connections{server="s:1"} 1',
  ].join('\n');
  expect(parseQueueDepths(text)).toEqual(new Map([['s:1', 7]]));
});

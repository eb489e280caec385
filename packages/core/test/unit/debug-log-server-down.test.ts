import { describe, expect, it } from 'vitest';
import { serverDownLine } from '../../src/diagnostics/debug-log.ts';
import { ConnectionError } from '../../src/errors.ts';

describe('the debug log line of a mark-down', () => {
  const base = { client: {}, server: '10.0.0.2:11211', error: new ConnectionError('connect ECONNREFUSED') };

  it('reads as before for a fresh outage', () => {
    const line = serverDownLine({ ...base, failures: 2, reason: 'failures', retryDelay: 1_000, flaps: 0 });
    expect(line).toBe('server 10.0.0.2:11211 is DOWN after 2 failures: connect ECONNREFUSED');
  });

  it('names an ejection, and the hold of a flapping server', () => {
    const line = serverDownLine({ ...base, failures: 0, reason: 'latency', retryDelay: 36_000, flaps: 1 });
    expect(line).toBe(
      'server 10.0.0.2:11211 is DOWN (ejected for latency), flapping (1 in a row), held 36000 ms: connect ECONNREFUSED',
    );
  });
});

import { freePort } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import { Client, ConnectionError, NoServerAvailableError } from '../../src/index.ts';

describe('NoServerAvailableError says why', () => {
  it("carries the down servers' last failures as an AggregateError when every server is down", async () => {
    // Two ports nothing listens on: every connect is refused, as for stopped memcached.
    const servers = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    const client = new Client(servers, { socketMaxFailures: 1, socketFailureDelay: 0.01 });
    try {
      await expect
        .poll(() => client.get('k').catch((error: unknown) => error), { timeout: 5_000, interval: 20 })
        .toBeInstanceOf(NoServerAvailableError);
      const error = (await client.get('k').catch((thrown: unknown) => thrown)) as NoServerAvailableError;
      expect(error.message).toContain('every server it could use is down (last error:');
      const cause = error.cause as AggregateError;
      expect(cause).toBeInstanceOf(AggregateError);
      expect(cause.errors).toHaveLength(2);
      for (const failure of cause.errors) expect(failure).toBeInstanceOf(ConnectionError);
      expect(new Set(cause.errors.map((failure: ConnectionError) => failure.server))).toEqual(new Set(servers));
    } finally {
      await client.close();
    }
  });
});

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { startMemcached } from '@dalli/test-utils';
import { expect, it } from 'vitest';
import { AuthError, type AuthFailureMessage, Client } from '../../src/index.ts';

it('doubles the wait between login attempts after each refusal (1 s, then 2 s), however the server replies', async () => {
  const sasl = await startMemcached({ kind: 'sasl' });
  const delays: number[] = [];
  const onFailure = (message: unknown): void => {
    delays.push((message as AuthFailureMessage).retryDelay);
  };
  subscribe('dalli:auth:failure', onFailure);
  const client = new Client(sasl.address, { username: 'dalli', password: 'wrong password' });
  try {
    await expect(client.get('k')).rejects.toBeInstanceOf(AuthError);
    // Keep asking until the second refusal: each request in the wait fails fast, without a login.
    await expect
      .poll(
        async () => {
          await client.get('k').catch(() => {});
          return delays.length;
        },
        { timeout: 4_000, interval: 50 },
      )
      .toBe(2);
    expect(delays).toEqual([1_000, 2_000]);
  } finally {
    unsubscribe('dalli:auth:failure', onFailure);
    await client.close();
    await sasl.stop();
  }
});

import { startScriptedServer } from '@dalli/test-utils';
import { expect, it } from 'vitest';
import { Client, type ClientOptions, ConnectionError } from '../../src/index.ts';

/** A server that hangs up on every request (a ConnectionError: a read is retried), counting them. */
async function hangingUpServer() {
  let gets = 0;
  const server = await startScriptedServer((_request, socket) => {
    gets++;
    socket.destroy();
  });
  return { server, gets: () => gets };
}

it.each([
  ['socketMaxFailures when requestMaxAttempts is absent', { socketMaxFailures: 3 }, 3],
  ['requestMaxAttempts, apart from the mark-down threshold', { socketMaxFailures: 5, requestMaxAttempts: 1 }, 1],
  ['requestMaxAttempts above socketMaxFailures', { socketMaxFailures: 4, requestMaxAttempts: 3 }, 3],
] as const)('tries a failing read as many times as %s says', async (_, options: ClientOptions, attempts) => {
  const { server, gets } = await hangingUpServer();
  const client = new Client(server.address, { ...options, socketFailureDelay: 0.01, downRetryDelay: 0 });
  await expect(client.get('mine')).rejects.toBeInstanceOf(ConnectionError);
  expect(gets()).toBe(attempts);
  await client.close();
  await server.close();
});

import { expect, it } from 'vitest';
import { BatchError, Client, ConnectionError, ProtocolError, ServerError } from '../../src/index.ts';
import { startScriptedLineServer } from '../support/scripted-line-server.ts';

/** A text server that answers every `get` line with `values(keys)`, then END. */
async function getServer(values: (keys: string[]) => string[]) {
  const server = await startScriptedLineServer((line, socket) => {
    if (!line.startsWith('get ')) return;
    const body = values(line.slice(4).split(' ')).map((key) => `VALUE ${key} 0 ${key.length + 1}\r\n=${key}\r\n`);
    socket.write(`${body.join('')}END\r\n`);
  });
  const client = new Client(server.address, { protocol: 'text', raw: true, socketMaxFailures: 1, downRetryDelay: 0 });
  return { server, client };
}

const keys = ['a', 'b', 'c', 'd'];
const read = (client: Client) =>
  Promise.allSettled(keys.map((key) => client.get(key).then((value) => value?.toString())));

it('routes each value of a coalesced get line to its own caller when a proxy answers out of order', async () => {
  const { server, client } = await getServer((asked) => [asked[3], asked[1], asked[0]] as string[]);
  const results = await read(client);
  expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'failed'))).toEqual([
    '=a',
    '=b',
    undefined,
    '=d',
  ]);
  await client.close();
  server.close();
});

it('fails a coalesced get line answered with a key not asked for; no caller gets a value not its own', async () => {
  const { server, client } = await getServer((asked) => [asked[0], 'zz'] as string[]);
  const results = await read(client);
  // a's value came first and was its own; the stray key fails the rest.
  expect(results[0]).toEqual({ status: 'fulfilled', value: '=a' });
  for (const result of results.slice(1)) {
    expect(result.status).toBe('rejected');
    const reason = (result as PromiseRejectedResult).reason;
    expect(reason instanceof ProtocolError || reason instanceof ConnectionError).toBe(true);
  }
  await client.close();
  server.close();
});

it('fails the keys of a get line answered by an error line (as twemproxy does), never as misses', async () => {
  const server = await startScriptedLineServer((line, socket) => {
    if (line.startsWith('get ')) socket.write('SERVER_ERROR backend unavailable\r\n');
  });
  const client = new Client(server.address, { protocol: 'text', socketMaxFailures: 1, downRetryDelay: 0 });
  const error = await client.getMulti(keys).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BatchError);
  const batch = error as BatchError<Map<string, unknown>>;
  expect(batch.results.size).toBe(0);
  expect([...batch.errors.values()].every((reason) => reason instanceof ServerError)).toBe(true);
  expect(batch.errors.size).toBe(keys.length);
  await client.close();
  server.close();
});

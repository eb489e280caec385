import { expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';
import { startScriptedLineServer } from '../support/scripted-line-server.ts';

/** Opens a client of `protocol` on a server whose every counter reply is `reply(opaque)`. */
async function counterWith(protocol: 'meta' | 'text', reply: (opaque: string) => string) {
  const server = await startScriptedLineServer((line, socket) => {
    if (!/^(ma|incr) /.test(line)) return;
    socket.write(reply(/ O(\d+)/.exec(line)?.[1] ?? ''));
  });
  const client = new Client(server.address, { protocol, socketMaxFailures: 1, downRetryDelay: 0 });
  return { server, client };
}

it.each([
  ['meta', 'a success without the value asked for', (opaque: string) => `HD O${opaque}\r\n`],
  ['meta', 'a value that is no number', (opaque: string) => `VA 3 O${opaque}\r\nabc\r\n`],
  ['text', 'a reply that is no number', () => 'STORED\r\n'],
] as const)('%s: fails an incr answered with %s with a ProtocolError, never a miss', async (protocol, _, reply) => {
  const { server, client } = await counterWith(protocol, reply);
  const error = await client.incr('counter').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProtocolError);
  await client.close();
  server.close();
});

import { replyFrame, startScriptedServer } from '@dalli/test-utils';
import { expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';

/** A server that answers every get with a hit for another key, echoing the request's opcode and opaque. */
async function wrongKeyServer() {
  return startScriptedServer((request, socket) => {
    socket.write(
      replyFrame({
        opcode: request.opcode,
        opaque: request.opaque,
        extras: Buffer.alloc(4),
        key: `not-${request.key}`,
        value: Buffer.from('someone else'),
      }),
    );
  });
}

it.each([
  ['get', (client: Client) => client.get('mine')],
  ['gets', (client: Client) => client.gets('mine')],
  ['gat', (client: Client) => client.gat('mine', 60)],
])(
  'fails a single %s whose reply names another key with a ProtocolError, never handing over the value',
  async (_, read) => {
    const server = await wrongKeyServer();
    const client = new Client(server.address, { socketMaxFailures: 1, downRetryDelay: 0 });
    const error = await read(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(/reply for key "not-mine" arrived for key "mine"/);
    await client.close();
    await server.close();
  },
);

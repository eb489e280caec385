import { replyFrame, startScriptedServer } from '@dalli/test-utils';
import { expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';

const INCREMENT = 0x05;

it('fails an incr whose successful reply is not 8 bytes with a ProtocolError and drops the connection', async () => {
  // A real memcached always sends 8 bytes; this server sends 4, which must never read as "key missing".
  const server = await startScriptedServer((request, socket) => {
    socket.write(replyFrame({ opcode: request.opcode, opaque: request.opaque, value: Buffer.alloc(4) }));
  });
  const client = new Client(server.address, { socketMaxFailures: 1, downRetryDelay: 0 });
  const error = await client.incr('counter').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as ProtocolError).message).toMatch(
    /incr on .*: the counter reply does not hold a 64-bit counter value/,
  );
  await client.incr('counter').catch(() => {});
  // The second incr needed a new connection: the first was destroyed with its replies out of trust.
  expect(server.accepted).toBe(2);
  await client.close();
  await server.close();
});

it('still resolves undefined for a counter memcached reports missing', async () => {
  const server = await startScriptedServer((request, socket) => {
    socket.write(
      replyFrame({ opcode: INCREMENT, opaque: request.opaque, status: 0x01, value: Buffer.from('Not found') }),
    );
  });
  const client = new Client(server.address);
  expect(await client.incr('counter')).toBeUndefined();
  await client.close();
  await server.close();
});

import { replyFrame, startMemcached, startScriptedServer } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

const STAT = 0x10;

it('fails a STAT reply that never ends with a ProtocolError once it passes the reply budget, long before the timeout', async () => {
  // 64 KiB STAT frames, none of them the empty-key frame that ends the reply, until the client hangs up.
  const frame = (opaque: number, i: number) =>
    replyFrame({ opcode: STAT, opaque, key: `stat_${i}`, value: Buffer.alloc(64 * 1024, 0x61) });
  let sentBytes = 0;
  const server = await startScriptedServer((request, socket) => {
    if (request.opcode !== STAT) return;
    let i = 0;
    const pump = (): void => {
      while (!socket.destroyed && i < 20_000) {
        const bytes = frame(request.opaque, i++);
        sentBytes += bytes.length;
        if (!socket.write(bytes)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  const client = new Client(server.address, { socketTimeout: 30, socketMaxFailures: 1, downRetryDelay: 0 });
  const error = await client.stats().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as Error).message).toMatch(/stats on .*: a reply of more than \d+ bytes/);
  // Stopped at the first frames past the budget (about 1 MiB), not after 20,000 frames (1.3 GB).
  expect(sentBytes).toBeLessThan(20_000 * 64 * 1024);
  await client.close();
  await server.close();
});

describe.each(DIALECTS)('%s protocol', (protocol) => {
  it('still reads a real multi-part stats reply in full', async () => {
    const memcached = await startMemcached();
    const client = new Client(memcached.address, { protocol });
    const stats = await client.stats('settings');
    expect(Object.keys(stats[memcached.address] ?? {}).length).toBeGreaterThan(30);
    await client.close();
    await memcached.stop();
  });
});

import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';

/**
 * A hostile line server: whatever it is sent, it answers with STAT lines and never the END that
 * closes them (no memcached does this). `sent` counts the bytes it managed to write.
 */
async function startEndlessStats(lines: number): Promise<{ address: string; sent: () => number; close: () => void }> {
  let sent = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('data', () => {
      let i = 0;
      const pump = (): void => {
        while (!socket.destroyed && i < lines) {
          const line = `STAT stat_${i++} ${'a'.repeat(1000)}\r\n`;
          sent += line.length;
          if (!socket.write(line)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const close = (): void => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return { address: `127.0.0.1:${port}`, sent: () => sent, close };
}

describe.each(['meta', 'text'] as const)('%s protocol', (protocol) => {
  it('fails a stats reply of STAT lines that never ends with a ProtocolError once it passes the reply budget', async () => {
    const LINES = 50_000;
    const server = await startEndlessStats(LINES);
    const client = new Client(server.address, { protocol, socketTimeout: 30, socketMaxFailures: 1, downRetryDelay: 0 });
    const error = await client.stats().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(/stats on .*: a reply of more than/);
    // Stopped near the budget (10,000 lines), not after all 50,000 lines.
    expect(server.sent()).toBeLessThan(LINES * 1000);
    await client.close();
    server.close();
  });
});

import { describe, expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';
import { startScriptedLineServer } from '../support/scripted-line-server.ts';

describe.each(['meta', 'text'] as const)('%s protocol', (protocol) => {
  it('fails a stats reply of STAT lines that never ends with a ProtocolError once it passes the reply budget', async () => {
    const LINES = 50_000;
    let sent = 0;
    // Answers `stats` with STAT lines and never the END that closes them (no memcached does this).
    const server = await startScriptedLineServer((line, socket) => {
      if (line !== 'stats') return;
      let i = 0;
      const pump = (): void => {
        while (!socket.destroyed && i < LINES) {
          const stat = `STAT stat_${i++} ${'a'.repeat(1000)}\r\n`;
          sent += stat.length;
          if (!socket.write(stat)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    const client = new Client(server.address, { protocol, socketTimeout: 30, socketMaxFailures: 1, downRetryDelay: 0 });
    const error = await client.stats().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(/stats on .*: a reply of more than/);
    // Stopped near the budget (10,000 lines), not after all 50,000 lines.
    expect(sent).toBeLessThan(LINES * 1000);
    await client.close();
    server.close();
  });
});

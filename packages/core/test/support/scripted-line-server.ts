import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';

/** Answers one request line (a data block's line arrives as a line too): write whatever the fault needs. */
export type LineScript = (line: string, socket: Socket) => void;

/**
 * A hostile or broken line server on 127.0.0.1 for the meta and text dialects: it cuts what it is
 * sent into lines and hands each to a script, for replies no memcached sends (a counter that is no
 * number, STAT lines without their END). Never a stand-in for memcached.
 */
export async function startScriptedLineServer(script: LineScript): Promise<{ address: string; close: () => void }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (!socket.destroyed) script(line, socket);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const close = (): void => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return { address: `127.0.0.1:${port}`, close };
}

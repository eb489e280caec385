// Faults from small servers this process runs itself: one that never answers (deadlines, on the
// runtime's timers) and one that hangs up mid-reply (the runtime's socket events). The silent
// one stands in for a memcached under SIGSTOP, which this file, run alone by Bun or Deno, could
// not send without more permissions.
import { createServer } from 'node:net';
import { rejection, truthy } from './check.mjs';

/** Starts a loopback server running `onConnection` for each socket; resolves its address and a stop function. */
function scriptedServer(onConnection) {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const stop = () => {
        for (const socket of sockets) socket.destroy();
        return new Promise((done) => server.close(() => done()));
      };
      resolve({ address: `127.0.0.1:${server.address().port}`, stop });
    });
  });
}

/** Named checks of timeouts and broken connections. */
export function faultChecks(core) {
  return {
    'a server that never answers: TimeoutError within socketTimeout': async () => {
      const silent = await scriptedServer(() => {});
      const c = new core.Client(silent.address, { protocol: 'meta', socketTimeout: 0.2, failover: false });
      const error = await rejection(c.get('rt:silent'), 'get on a silent server');
      truthy(error instanceof core.TimeoutError, `a TimeoutError, got ${error}`);
      await c.close();
      await silent.stop();
    },
    'a server that hangs up mid-reply: ConnectionError': async () => {
      // Half a meta value reply, then the end of the connection.
      const rude = await scriptedServer((socket) => socket.once('data', () => socket.end('VA 10 f0\r\nabc')));
      const c = new core.Client(rude.address, { protocol: 'meta', socketTimeout: 2, failover: false });
      const error = await rejection(c.get('rt:rude'), 'get on a server that hangs up');
      truthy(error instanceof core.ConnectionError, `a ConnectionError, got ${error}`);
      truthy(/middle of a reply/.test(error.message), `says where: ${error.message}`);
      await c.close();
      await rude.stop();
    },
  };
}

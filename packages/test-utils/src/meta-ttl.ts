import { connect } from 'node:net';

/**
 * The seconds an item has left to live, read with memcached's meta protocol (`mg <key> t`), which
 * the binary protocol cannot ask: -1 for an item that never expires, undefined for a missing one.
 * Deliberately independent of @dalli/core, whose TTL handling it checks.
 */
export function itemTtl(address: string, key: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const socket = address.startsWith('/')
      ? connect(address)
      : connect(Number(address.slice(address.lastIndexOf(':') + 1)), address.slice(0, address.lastIndexOf(':')));
    let reply = '';
    socket.once('connect', () => socket.write(`mg ${key} t\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (!reply.includes('\r\n')) return;
      socket.destroy();
      const line = reply.slice(0, reply.indexOf('\r\n'));
      if (line === 'EN') resolve(undefined);
      else {
        const ttl = /(?:^|\s)t(-?\d+)/.exec(line);
        if (ttl === null) reject(new Error(`unexpected meta reply: ${line}`));
        else resolve(Number(ttl[1]));
      }
    });
    socket.once('error', reject);
  });
}

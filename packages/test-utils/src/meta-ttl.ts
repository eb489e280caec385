import { connect } from 'node:net';

/**
 * Sends one text-protocol command on a connection of its own and resolves with the reply once
 * `complete(reply)` says it is whole. Deliberately independent of @dalli/core, which it checks.
 */
function textCommand(address: string, command: string, complete: (reply: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const colon = address.lastIndexOf(':');
    const socket = address.startsWith('/')
      ? connect(address)
      : connect(Number(address.slice(colon + 1)), address.slice(0, colon));
    let reply = '';
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (!complete(reply)) return;
      socket.destroy();
      resolve(reply);
    });
    socket.once('error', reject);
  });
}

/**
 * The seconds an item has left to live, read with memcached's meta protocol (`mg <key> t`), which
 * the binary protocol cannot ask: -1 for an item that never expires, undefined for a missing one.
 */
export async function itemTtl(address: string, key: string): Promise<number | undefined> {
  const reply = await textCommand(address, `mg ${key} t`, (text) => text.includes('\r\n'));
  const line = reply.slice(0, reply.indexOf('\r\n'));
  if (line === 'EN') return undefined;
  const ttl = /(?:^|\s)t(-?\d+)/.exec(line);
  if (ttl === null) throw new Error(`unexpected meta reply: ${line}`);
  return Number(ttl[1]);
}

/** memcached's own clock (`stats` → `time`), which moves once a second. */
export async function serverTime(address: string): Promise<number> {
  const reply = await textCommand(address, 'stats', (text) => text.endsWith('END\r\n'));
  const time = /^STAT time (\d+)\r$/m.exec(reply);
  if (time === null) throw new Error('memcached stats without a time');
  return Number(time[1]);
}

/**
 * Runs `write`, then reads the TTL of `key`, retrying until both happened within one tick of
 * memcached's once-a-second clock. A relative TTL can then be checked exactly: a tick in between
 * would make a 6 s item read 5 s, or a 1 s item vanish.
 */
export async function itemTtlAfter(
  address: string,
  key: () => Promise<string> | string,
  write: () => Promise<unknown>,
): Promise<number | undefined> {
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    const before = await serverTime(address);
    await write();
    const ttl = await itemTtl(address, await key());
    if ((await serverTime(address)) === before || attempt === attempts) return ttl;
  }
}

import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';

/**
 * What the commands that speak memcached's text protocol to one server themselves share (`keys`'
 * metadump, `top --keys`' watch): the socket and the ASCII login. The client is not used there:
 * both read a stream that no client operation returns.
 */

/** Where a server listens, from its name as the client gives it: `host:port`, `[v6]:port` or a socket path. */
export function serverAddress(name: string): { host: string; port: number } | { path: string } {
  if (name.startsWith('/')) return { path: name };
  const colon = name.lastIndexOf(':');
  const host = name.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(name.slice(colon + 1)) };
}

/** A socket to `server`, over TLS when `tls` is given (the host name, not an address, as the TLS servername). */
export function openTextSocket(server: string, tls: ConnectionOptions | undefined): Socket {
  const address = serverAddress(server);
  if (tls === undefined) return 'path' in address ? connectTcp(address.path) : connectTcp(address.port, address.host);
  const servername = 'host' in address && isIP(address.host) === 0 ? address.host : undefined;
  return connectTls({ ...tls, ...address, servername });
}

/** Why an ASCII login failed: the server closed the connection, or refused with this line. */
export type LoginFailure = { readonly closed: true } | { readonly closed: false; readonly reply: string };

/**
 * memcached's ASCII authentication (`-Y authfile`): a `set` whose data is `user pass`, its key
 * ignored, answered STORED, or `CLIENT_ERROR …` and a close. Resolves undefined once logged in;
 * else the failure, which carries the server's reply (at most 200 characters), never the
 * credentials. A close usually means a SASL server (`-S`), which speaks only binary.
 */
export async function asciiLogin(
  socket: Socket,
  lines: AsyncIterator<string>,
  login: { readonly username: string; readonly password: string },
): Promise<LoginFailure | undefined> {
  const data = Buffer.from(`${login.username} ${login.password}`, 'utf8');
  socket.write(Buffer.concat([Buffer.from(`set auth 0 0 ${data.length}\r\n`), data, Buffer.from('\r\n')]));
  const reply = await lines.next();
  if (reply.done === true) return { closed: true };
  return reply.value === 'STORED' ? undefined : { closed: false, reply: reply.value.slice(0, 200) };
}

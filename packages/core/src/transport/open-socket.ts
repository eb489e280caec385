import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions as TlsOptions, connect as tlsConnect } from 'node:tls';
import { CloudflareSocket, onCloudflareWorkers } from './cloudflare-socket.ts';

/** Where a server listens: TCP host and port, or a Unix domain socket path. */
export type SocketAddress = { readonly host: string; readonly port: number } | { readonly path: string };

/** Idle time before the first TCP keepalive probe, so dead peers behind NAT are noticed. */
const KEEPALIVE_INITIAL_DELAY_MS = 60_000;

/**
 * Opens a socket to `address`, over TLS when `tls` is given. Host names are resolved by each call,
 * so a reconnect follows DNS changes. Resolves nothing itself: the caller listens for the
 * `connect` event named by {@link readyEvent}.
 */
export function openSocket(address: SocketAddress, tls: TlsOptions | undefined): Socket {
  // Workers reach TCP through cloudflare:sockets; its adapter has the part of Socket the connection uses.
  if (onCloudflareWorkers() && 'host' in address) {
    return new CloudflareSocket(address.host, address.port, tls !== undefined) as unknown as Socket;
  }
  const socket = tls === undefined ? netConnect(address) : tlsConnect({ ...tls, ...address });
  if (!('path' in address)) {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_INITIAL_DELAY_MS);
  }
  return socket;
}

/** The event that says the socket can carry requests: TLS sockets are usable after their handshake. */
export function readyEvent(tls: TlsOptions | undefined): 'connect' | 'secureConnect' {
  return tls === undefined ? 'connect' : 'secureConnect';
}

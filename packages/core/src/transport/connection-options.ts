import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { AuthError, DalliError } from '../errors.ts';
import type { Handshake, WireProtocol } from '../protocol/wire-protocol.ts';
import type { SocketAddress } from './open-socket.ts';

/** What a connection is told to do, and whom it tells what happens. */
export interface ConnectionOptions {
  /** The server's configured name, used in every error message. */
  readonly server: string;
  /** The dialect spoken: it encodes, reads and matches; the connection keeps order and time. */
  readonly protocol: WireProtocol;
  readonly address: SocketAddress;
  /** Node `tls.connect` options; plain TCP (or Unix socket) when undefined. */
  readonly tls?: TlsOptions | undefined;
  /** Milliseconds a request (or the connect and handshake) may take, unless the request sets its own. */
  readonly timeout: number;
  /**
   * Largest reply value kept, in bytes; a longer one fails its request alone (the value is skipped).
   * Also the most a multi-part reply (statistics) may add up to: past it, the connection fails.
   */
  readonly maxBodyLength: number;
  readonly handshake?: Handshake | undefined;
  /** Milliseconds with nothing sent or awaited after which the connection closes (not a failure); 0: never. */
  readonly idleTimeout?: number | undefined;
  /** Told at the first reply on this connection: the server answers. */
  readonly onReply?: (() => void) | undefined;
  /**
   * Told at each request's last reply, with the milliseconds since it was written. Only when given:
   * it costs a clock read per reply (the server's latency ejection asks for it).
   */
  readonly onAnswered?: ((ms: number) => void) | undefined;
  /**
   * Told when the connection breaks (not after `close()`, an idle EOF, or an auth refusal), with
   * how many requests it failed (sent or queued).
   */
  readonly onBroken?: ((error: DalliError, requests: number) => void) | undefined;
  /** Told when the server refuses authentication (a rejected login, or auth required and none configured). */
  readonly onAuthFailed?: ((error: AuthError) => void) | undefined;
  /** Told when the socket is ready for requests (after TLS and the handshake). */
  readonly onReady?: (() => void) | undefined;
  /**
   * Told when a timeout leaves writes on the wire whose outcome is unknown: their wire keys, and
   * a promise that resolves once nothing this connection carried can still be applied.
   */
  readonly onUnsettledWrites?: ((keys: readonly string[], settled: Promise<void>) => void) | undefined;
  /** Told once when the socket is gone: `error` is undefined for a clean close. */
  readonly onClose?: ((error: DalliError | undefined) => void) | undefined;
}

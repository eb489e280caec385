import { type Channel, channel } from 'node:diagnostics_channel';
import type { AuthError, DalliError } from './errors.ts';

/**
 * Every diagnostics channel the client publishes to, created here and nowhere else. APM tools
 * subscribe by name (`diagnostics_channel.subscribe('dalli:server:down', ...)`) without patching
 * anything; publishing is skipped entirely while nobody listens. Messages name the client they
 * come from and the server, never a value or a credential.
 */

/** A socket to a server is ready for requests (after TLS and SASL). */
export interface ConnectionConnectMessage {
  readonly client: object;
  readonly server: string;
}

/** A socket closed: cleanly (no error) or because it failed. */
export interface ConnectionCloseMessage {
  readonly client: object;
  readonly server: string;
  readonly error: DalliError | undefined;
}

/** A server was marked down after `socketMaxFailures` consecutive failures. */
export interface ServerDownMessage {
  readonly client: object;
  readonly server: string;
  readonly error: DalliError;
  readonly failures: number;
}

/** A down server answered again. */
export interface ServerUpMessage {
  readonly client: object;
  readonly server: string;
  /** Milliseconds it was down. */
  readonly downtime: number;
}

/** A server refused authentication (the error names neither user nor password). */
export interface AuthFailureMessage {
  readonly client: object;
  readonly server: string;
  readonly error: AuthError;
}

export const connectionConnectChannel: Channel = channel('dalli:connection:connect');
export const connectionCloseChannel: Channel = channel('dalli:connection:close');
export const serverDownChannel: Channel = channel('dalli:server:down');
export const serverUpChannel: Channel = channel('dalli:server:up');
export const authFailureChannel: Channel = channel('dalli:auth:failure');

/** Publishes `message()` on `target` only if someone listens, so building it costs nothing otherwise. */
export function publish<M>(target: Channel, message: () => M): void {
  if (target.hasSubscribers) target.publish(message());
}

import {
  AuthError,
  ConnectionError,
  type DalliError,
  type ErrorContext,
  TimeoutError,
  UnsupportedCommandError,
  withoutStackTraces,
} from '../errors.ts';
import type { Exchange } from './exchange.ts';

/**
 * The errors a failing connection hands its requests: one function per way a connection fails,
 * each giving every request (or, with undefined, the connection itself) its error. Messages name
 * the server and the operation, never a value or a credential.
 */
export type ErrorFor = (exchange: Exchange | undefined) => DalliError;

/** Where an error happened: this connection's server and the request's operation. */
export function contextOf(server: string, exchange: Exchange | undefined, cause?: unknown): ErrorContext {
  return { server, operation: exchange?.operation, cause };
}

/** Every request fails with a ConnectionError saying `message`. */
export function connectionErrors(server: string, message: string, cause?: unknown): ErrorFor {
  return (exchange) => new ConnectionError(message, contextOf(server, exchange, cause));
}

/**
 * A deadline passed at `now` in `phase` (connection, handshake, reply): the requests due fail with
 * a TimeoutError, the others with a ConnectionError naming it as the cause of the close.
 */
export function timeoutErrors(server: string, phase: string, now: number, defaultTimeout: number): ErrorFor {
  // Deadlines within a timer tick of now (requests issued together) count as timed out too.
  const due = now + 1;
  return (exchange) => {
    if (exchange !== undefined && exchange.deadline > due) {
      const message = 'closed because an earlier request on the connection timed out';
      return new ConnectionError(message, contextOf(server, exchange));
    }
    const timeout = exchange === undefined ? defaultTimeout : (exchange.timeout ?? defaultTimeout);
    return new TimeoutError(`no ${phase} within ${timeout} ms`, contextOf(server, exchange));
  };
}

/** The server hung up: mid-reply, or with replies owed (before any reply, maybe another dialect). */
export function hangUpErrors(server: string, midReply: boolean, replied: boolean, protocolName: string): ErrorFor {
  const where = midReply ? 'in the middle of a reply' : 'with replies still owed';
  // twemproxy and mcrouter hang up on a request in a dialect they cannot parse.
  const hint = replied ? '' : `, before any reply (does it speak the ${protocolName} protocol?)`;
  return connectionErrors(server, `the server closed the connection ${where}${hint}`);
}

/**
 * The server hung up while a request sent alone was the only one in flight, before answering
 * it: the way twemproxy refuses a command it does not know. That request fails with an
 * UnsupportedCommandError; the requests waiting behind it, never written, get a ConnectionError
 * whose cause is that refusal.
 */
export function refusedAloneErrors(server: string, alone: Exchange): ErrorFor {
  const message = `the server closed the connection on ${alone.operation} without answering: a proxy that does not support it? (declare it with the "proxy" option)`;
  const refusal = new UnsupportedCommandError(message, contextOf(server, alone));
  const others = connectionErrors(
    server,
    `the connection closed on ${alone.operation}, which the server does not support`,
    refusal,
  );
  return (exchange) => (exchange === alone ? refusal : others(exchange));
}

/**
 * The server answered a request with an auth error (memcached -S and -Y do, then hang up):
 * either no login is configured, or the server did not take the one that was.
 */
export function authRequiredError(
  server: string,
  exchange: Exchange,
  loginName: string,
  loginConfigured: boolean,
): AuthError {
  const message = loginConfigured
    ? 'the server refused the request as unauthenticated'
    : `the server requires ${loginName} authentication and no username and password are configured`;
  return new AuthError(message, contextOf(server, exchange));
}

/**
 * Fails every request of a closing connection with its error from `fail`: `sent` ones as maybe
 * applied by the server, `unsent` ones (never written) as not.
 */
export function failEach(sent: readonly Exchange[], unsent: readonly Exchange[], fail: ErrorFor): void {
  // One socket failure fans out to every request: no stack capture for each of them.
  const [sentErrors, unsentErrors] = withoutStackTraces(() => [sent.map(fail), unsent.map(fail)]);
  for (let i = 0; i < sent.length; i++) (sent[i] as Exchange).onFailure(sentErrors[i] as DalliError, true);
  for (let i = 0; i < unsent.length; i++) (unsent[i] as Exchange).onFailure(unsentErrors[i] as DalliError, false);
}

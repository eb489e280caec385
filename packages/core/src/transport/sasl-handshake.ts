import { AuthError, ServerError } from '../errors.ts';
import {
  decodeMechanisms,
  type ResponseFrame,
  responseText,
  SASL_PLAIN,
  Status,
  saslListMechsRequest,
  saslPlainAuthRequest,
  statusName,
} from '../protocol/binary/index.ts';
import type { Handshake } from './connection.ts';
import type { SaslCredentials } from './sasl-credentials.ts';

/**
 * Authenticates a new socket with SASL PLAIN before any other request, as Dalli does: it asks for
 * the mechanisms and sends the credentials in one write (memcached accepts only SASL and VERSION
 * frames before authentication). A server without SASL answers "unknown command" to both, and the
 * socket is used as is. A refusal is an {@link AuthError}, which names neither user nor password.
 */
export function saslHandshake(credentials: SaslCredentials, server: string): Handshake {
  return async (send) => {
    const [mechanisms, auth] = await Promise.all([
      send(saslListMechsRequest()),
      send(saslPlainAuthRequest(credentials.username, credentials.reveal())),
    ]);
    if (mechanisms.status === Status.unknownCommand && auth.status === Status.unknownCommand) return;
    checkPlainOffered(mechanisms, server);
    if (auth.status === Status.noError) return;
    if (auth.status === Status.authError) {
      throw new AuthError('the server refused the SASL credentials', { server, operation: 'authenticate' });
    }
    throw new ServerError(auth.status, `SASL authentication failed: ${statusName(auth.status)}`, {
      server,
      operation: 'authenticate',
    });
  };
}

function checkPlainOffered(reply: ResponseFrame, server: string): void {
  const offered = reply.status === Status.noError ? decodeMechanisms(responseText(reply)) : [];
  if (!offered.includes(SASL_PLAIN)) {
    const list = offered.length > 0 ? offered.join(', ') : 'none';
    throw new AuthError(`the server does not offer SASL PLAIN (it offers: ${list})`, {
      server,
      operation: 'authenticate',
    });
  }
}

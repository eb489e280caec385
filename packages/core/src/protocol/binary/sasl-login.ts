import { AuthError, ServerError } from '../../errors.ts';
import { Op } from '../command.ts';
import { type Reply, ReplyStatus } from '../reply.ts';
import type { Handshake, LoginCredentials } from '../wire-protocol.ts';
import { decodeMechanisms, SASL_PLAIN, saslPlainValue } from './sasl.ts';

/**
 * Authenticates a new socket with SASL PLAIN before any other request, as Dalli does: it asks for
 * the mechanisms and sends the credentials in one write (memcached accepts only SASL and VERSION
 * frames before authentication). A server without SASL answers "unknown command" to both, and the
 * socket is used as is. A refusal is an {@link AuthError}, which names neither user nor password.
 */
export function saslLogin(credentials: LoginCredentials, server: string): Handshake {
  return async (send) => {
    const [mechanisms, auth] = await Promise.all([
      send({ op: Op.saslListMechs }),
      send({ op: Op.saslAuth, key: SASL_PLAIN, value: saslPlainValue(credentials.username, credentials.reveal()) }),
    ]);
    if (mechanisms.status === ReplyStatus.unknownCommand && auth.status === ReplyStatus.unknownCommand) return;
    checkPlainOffered(mechanisms, server);
    if (auth.status === ReplyStatus.ok) return;
    if (auth.status === ReplyStatus.authError) {
      throw new AuthError('the server refused the SASL credentials', { server, operation: 'authenticate' });
    }
    throw new ServerError(auth.status, `SASL authentication failed: ${auth.status}`, {
      server,
      operation: 'authenticate',
    });
  };
}

function checkPlainOffered(reply: Reply, server: string): void {
  const offered = reply.status === ReplyStatus.ok ? decodeMechanisms(reply.text) : [];
  if (!offered.includes(SASL_PLAIN)) {
    const list = offered.length > 0 ? offered.join(', ') : 'none';
    throw new AuthError(`the server does not offer SASL PLAIN (it offers: ${list})`, {
      server,
      operation: 'authenticate',
    });
  }
}

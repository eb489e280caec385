import { AuthError, ServerError } from '../../errors.ts';
import { Op } from '../command.ts';
import { type Reply, ReplyStatus } from '../reply.ts';
import type { Handshake, LoginCredentials } from '../wire-protocol.ts';
import { decodeMechanisms, SASL_PLAIN, saslPlainValue } from './sasl.ts';

/**
 * The CAS field of the mechanisms request, whose last two header bytes it fills: CR LF. memcached
 * ignores a CAS on this frame, but a server that reads only text lines (`-B ascii`, `-Y`, a proxy)
 * sees a line end at once and answers it (ERROR), so binary-with-credentials against it fails at
 * once with the reader's "set protocol" hint instead of waiting out the handshake timeout. The
 * NOOP greeting that does this without credentials cannot go first: memcached -S hangs up on it.
 */
const LINE_END_CAS = 0x0d0an;

/**
 * Authenticates a new socket with SASL PLAIN before any other request, as Dalli does: it asks for
 * the mechanisms and sends the credentials in one write (memcached accepts only SASL and VERSION
 * frames before authentication). A server without SASL answers "unknown command" to both, and the
 * socket is used as is. A refusal is an {@link AuthError}, which names neither user nor password.
 */
export function saslLogin(credentials: LoginCredentials, server: string): Handshake {
  return async (send) => {
    const [mechanisms, auth] = await Promise.all([
      send({ op: Op.saslListMechs, cas: LINE_END_CAS }),
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

import { AuthError, ServerError } from '../../errors.ts';
import { Op } from '../command.ts';
import { ReplyStatus } from '../reply.ts';
import type { Handshake, LoginCredentials } from '../wire-protocol.ts';

/**
 * memcached's ASCII authentication (`memcached -Y authfile`, and MemCachier's text login): the
 * first command on a connection is a `set` whose data is `user pass`. memcached answers STORED,
 * or `CLIENT_ERROR unauthenticated` and closes the connection. A refusal is an
 * {@link AuthError}, which names neither user nor password. The text protocol cannot carry a
 * space in the user name (it separates user from password), so such a name is refused here.
 */
export function asciiLogin(credentials: LoginCredentials, server: string): Handshake {
  return async (send) => {
    const context = { server, operation: 'authenticate' };
    if (/\s/.test(credentials.username)) {
      throw new AuthError('ASCII authentication cannot carry a user name with whitespace', context);
    }
    const reply = await send({ op: Op.asciiAuth, value: `${credentials.username} ${credentials.reveal()}` });
    if (reply.status === ReplyStatus.ok) return;
    if (reply.status === ReplyStatus.authError) throw new AuthError('the server refused the credentials', context);
    throw new ServerError(reply.status, `ASCII authentication failed: ${reply.status}`, context);
  };
}

/** What a connection knew when its socket failed. */
export interface SocketErrorContext {
  readonly tls: boolean;
  /** The TLS handshake (or TCP connect) had not completed. */
  readonly connecting: boolean;
  /** The server had not answered anything yet. */
  readonly replied: boolean;
}

/**
 * A socket error as a message a user can act on: OpenSSL's terse reason instead of its raw error
 * string, and the likely cause where the symptom does not say it (TLS against a plain port, a
 * plain client against a TLS port, a missing client certificate).
 */
export function socketErrorMessage(
  error: NodeJS.ErrnoException & { reason?: string },
  context: SocketErrorContext,
): string {
  if (context.tls && typeof error.reason === 'string') {
    const hint = tlsHint(error.code, error.reason);
    return `TLS ${context.connecting ? 'handshake failed' : 'error'}${hint}: ${error.reason}`;
  }
  if (context.tls && context.connecting) return `TLS handshake failed: ${error.message}`;
  if (!context.tls && !context.replied && error.code === 'ECONNRESET') {
    return `${error.message} before any reply (if the server requires TLS, set the tls option)`;
  }
  return error.message;
}

function tlsHint(code: string | undefined, reason: string): string {
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return ' (is this a plain, non-TLS port?)';
  if (/certificate required/.test(reason)) return ' (the server wants a client certificate: set tls.cert and tls.key)';
  return '';
}

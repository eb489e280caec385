import type { ReplyStatus } from './protocol/reply-status.ts';

/**
 * Every error the client throws is a {@link DalliError} with a stable string `code`, so callers can
 * branch on `error.code` without parsing messages. Messages name the server and the operation;
 * they never contain a value or a credential.
 */

export const ErrorCode = {
  connection: 'ERR_DALLI_CONNECTION',
  timeout: 'ERR_DALLI_TIMEOUT',
  protocol: 'ERR_DALLI_PROTOCOL',
  server: 'ERR_DALLI_SERVER',
  auth: 'ERR_DALLI_AUTH',
  invalidArgument: 'ERR_DALLI_INVALID_ARGUMENT',
  unsupportedCommand: 'ERR_DALLI_UNSUPPORTED_COMMAND',
  invalidKey: 'ERR_DALLI_INVALID_KEY',
  valueTooLarge: 'ERR_DALLI_VALUE_TOO_LARGE',
  replyTooLarge: 'ERR_DALLI_REPLY_TOO_LARGE',
  valueDecode: 'ERR_DALLI_VALUE_DECODE',
  noServer: 'ERR_DALLI_NO_SERVER',
  discoveryLimit: 'ERR_DALLI_DISCOVERY_LIMIT',
  closed: 'ERR_DALLI_CLOSED',
  batch: 'ERR_DALLI_BATCH',
  overloaded: 'ERR_DALLI_OVERLOADED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Where an error happened: the server's configured name and the client operation. */
export interface ErrorContext {
  readonly server?: string | undefined;
  readonly operation?: string | undefined;
  readonly cause?: unknown;
}

/** Global (`Symbol.for`), so an error made by another installed copy of this package is recognised too. */
const ERROR_BRAND = Symbol.for('@dalli/core.DalliError');

export class DalliError extends Error {
  override name = 'DalliError';

  /**
   * True for an error from any copy of `@dalli/core`, where `instanceof DalliError` only knows its
   * own copy (an app and an adapter may each resolve one). With `code`, also checks the kind:
   * `DalliError.is(error, ErrorCode.timeout)`.
   */
  static is(value: unknown, code?: ErrorCode): value is DalliError {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] !== true) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  }

  readonly code: ErrorCode;
  readonly server: string | undefined;
  readonly operation: string | undefined;
  /** The message without the operation and server in front. */
  readonly detail: string;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(withContext(message, context), context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.detail = message;
    this.server = context.server;
    this.operation = context.operation;
  }
}

function withContext(message: string, { server, operation }: ErrorContext): string {
  if (operation !== undefined && server !== undefined) return `${operation} on ${server}: ${message}`;
  if (operation !== undefined) return `${operation}: ${message}`;
  if (server !== undefined) return `${server}: ${message}`;
  return message;
}

/**
 * Builds errors without capturing stack traces, for one failure fanned out to many requests (a
 * connection that dies with 100,000 requests on it). Such a stack would only show the socket's
 * event, never a caller, and capturing it is most of an error's cost.
 */
export function withoutStackTraces<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The socket failed: refused, reset, closed by the server, or closed because its replies fell out of step. */
export class ConnectionError extends DalliError {
  override name = 'ConnectionError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.connection, message, context);
  }
}

/** No reply within the operation's timeout; the connection it was on has been closed. */
export class TimeoutError extends DalliError {
  override name = 'TimeoutError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.timeout, message, context);
  }
}

/** The server sent bytes that are not a valid reply to what was asked; the connection has been closed. */
export class ProtocolError extends DalliError {
  override name = 'ProtocolError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.protocol, message, context);
  }
}

/**
 * Why memcached refused a request, the same in every dialect: `outOfMemory`, `unknownCommand`,
 * `nonNumeric`, `tooLarge`, `invalidArguments`, `notSupported`, `busy`, `temporaryFailure`,
 * `authError`, `serverError` (anything else), and the outcomes an operation did not expect
 * (`notFound`, `exists`, `notStored`).
 */
export type ServerErrorReason = ReplyStatus;

/** memcached answered with an error (out of memory, unknown command, …). */
export class ServerError extends DalliError {
  override name = 'ServerError';
  /** What the server said, in protocol-neutral words. */
  readonly reason: ServerErrorReason;
  constructor(reason: ServerErrorReason, message: string, context?: ErrorContext) {
    super(ErrorCode.server, message, context);
    this.reason = reason;
  }
}

/** SASL authentication was refused, or the server demands it and no credentials are configured. */
export class AuthError extends DalliError {
  override name = 'AuthError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.auth, message, context);
  }
}

/** A bad argument or option; raised before anything is sent. */
export class InvalidArgumentError extends DalliError {
  override name = 'InvalidArgumentError';
  constructor(message: string, context?: ErrorContext, code: ErrorCode = ErrorCode.invalidArgument) {
    super(code, message, context);
  }
}

/** A key memcached would refuse or that would break clients sharing the cluster. */
export class InvalidKeyError extends InvalidArgumentError {
  override name = 'InvalidKeyError';
  constructor(message: string, context?: ErrorContext) {
    super(message, context, ErrorCode.invalidKey);
  }
}

/**
 * The server, or the proxy in front of it (`proxy: 'twemproxy'`), does not support the command:
 * refused before sending when known, or learnt when a proxy hung up on it (it went alone, so
 * nothing else failed and the server is not counted as failing). Never retried.
 */
export class UnsupportedCommandError extends InvalidArgumentError {
  override name = 'UnsupportedCommandError';
  constructor(message: string, context?: ErrorContext) {
    super(message, context, ErrorCode.unsupportedCommand);
  }
}

/** The encoded value is over `valueMaxBytes`; nothing was sent. */
export class ValueTooLargeError extends InvalidArgumentError {
  override name = 'ValueTooLargeError';
  constructor(message: string, context?: ErrorContext) {
    super(message, context, ErrorCode.valueTooLarge);
  }
}

/**
 * A reply carried a value over `valueMaxBytes` (another client stored it, or this client's limit
 * is lower than the server's `-I`): the value was skipped unread and only that request failed;
 * the connection stays in step. Not `ValueTooLargeError`, which means nothing was sent.
 */
export class ReplyTooLargeError extends DalliError {
  override name = 'ReplyTooLargeError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.replyTooLarge, message, context);
  }
}

/**
 * A stored value could not be read back: it does not decompress, decompresses past
 * `decompressedMaxBytes`, or the serializer cannot load it. Only that read fails.
 */
export class ValueDecodeError extends DalliError {
  override name = 'ValueDecodeError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.valueDecode, message, context);
  }
}

/**
 * The server's connection already holds `maxQueued` requests (sent and awaiting replies, or queued
 * behind them): a stalled or slow server. This request was refused at once, never sent; it is not
 * retried and does not count as the server failing.
 */
export class OverloadedError extends DalliError {
  override name = 'OverloadedError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.overloaded, message, context);
  }
}

/**
 * No server can take the request: every server that could hold the key is down, or the cluster has
 * none (discovery has not found one). `cause` says why when it is known: the one server's last
 * failure, an `AggregateError` of the down servers' last failures, or the last discovery error.
 */
export class NoServerAvailableError extends DalliError {
  override name = 'NoServerAvailableError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.noServer, message, context);
  }
}

/**
 * A discovery answer listed more servers than `discoveryMaxNodes`: it was refused whole and the
 * last good list stays (reported on `dalli:discovery:error`).
 */
export class DiscoveryLimitError extends DalliError {
  override name = 'DiscoveryLimitError';
  /** How many servers the answer listed. */
  readonly nodes: number;
  /** The `discoveryMaxNodes` in force. */
  readonly limit: number;
  constructor(nodes: number, limit: number, context?: ErrorContext) {
    super(
      ErrorCode.discoveryLimit,
      `the answer lists ${nodes} servers, more than discoveryMaxNodes (${limit}); the last good list stays`,
      context,
    );
    this.nodes = nodes;
    this.limit = limit;
  }
}

/** The client was closed before or while the operation ran. */
export class ClosedError extends DalliError {
  override name = 'ClosedError';
  constructor(message: string, context?: ErrorContext) {
    super(ErrorCode.closed, message, context);
  }
}

/**
 * Some keys of a multi-key operation failed. Nothing partial is ever passed off as complete:
 * `results` holds what did succeed (hits for getMulti, outcomes for deleteMulti, answers of the
 * servers that replied for version or stats), `errors` the failure of each key (or server) that
 * did not, and `cause` the first of those failures.
 */
export class BatchError<R = unknown> extends DalliError {
  override name = 'BatchError';
  declare readonly results: R;
  declare readonly errors: ReadonlyMap<string, DalliError>;
  constructor(operation: string, results: R, errors: ReadonlyMap<string, DalliError>, total: number, unit = 'keys') {
    const first = errors.values().next().value as DalliError;
    const servers = [
      ...new Set([...errors.values()].map((error) => error.server).filter((name) => name !== undefined)),
    ];
    const where = servers.length > 0 ? ` on ${servers.join(', ')}` : '';
    super(ErrorCode.batch, `${errors.size} of ${total} ${unit} failed${where}: ${first.message}`, {
      operation,
      cause: first,
    });
    // Not enumerable: logging the error shows its summary and first cause, not a thousand keys'
    // values and stacks; `results` and `errors` are there for the code that handles it.
    Object.defineProperty(this, 'results', { value: results, enumerable: false });
    Object.defineProperty(this, 'errors', { value: errors, enumerable: false });
  }
}

// On the prototype, out of the declared type: the brand is a runtime mark, not API.
Object.defineProperty(DalliError.prototype, ERROR_BRAND, { value: true });

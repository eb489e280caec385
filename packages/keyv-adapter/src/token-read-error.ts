import {
  ClosedError,
  ConnectionError,
  type DalliError,
  type ErrorContext,
  NoServerAvailableError,
  TimeoutError,
} from '@dalli/core';

/** Failures whose class takes (message, context): they can be re-issued under another operation's name. */
const renameable = [ConnectionError, TimeoutError, NoServerAvailableError, ClosedError] as const;

/**
 * The failure of the namespace token read that an operation needed first, under that
 * operation's name (`set on 127.0.0.1:11211: …`, not `get on …`), with the same class and code
 * and the original as its `cause`. Other errors pass unchanged.
 */
export function asFailureOf(operation: string, error: unknown): unknown {
  const kind = renameable.find((candidate) => error instanceof candidate);
  if (kind === undefined) return error;
  const original = error as DalliError;
  const context: ErrorContext = { server: original.server, operation, cause: original };
  return new kind(`${original.detail} (reading the namespace token first)`, context);
}

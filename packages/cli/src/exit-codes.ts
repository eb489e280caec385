import { InvalidArgumentError } from '@dalli/core';
import { escapeControls } from './format/terminal-text.ts';

/** What `dalli` exits with, so scripts can branch on it. */
export const ExitCode = {
  /** The command did what was asked. */
  ok: 0,
  /** A miss: the key is absent (get, delete, touch, incr, decr), or a flush was not confirmed. */
  miss: 1,
  /** The command line was wrong: unknown command or flag, bad key, bad number, unreadable file. */
  usage: 2,
  /** The cluster failed: a server refused, timed out, rejected the login or answered with an error. */
  cluster: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake on the command line, found before anything is sent. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The exit code for a failure: a bad argument (ours, or the client's `InvalidArgumentError`, which
 * it throws before sending) is the user's (2); anything else, a connection, timeout, auth or server
 * error, the cluster's (3).
 */
export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof UsageError || error instanceof InvalidArgumentError ? ExitCode.usage : ExitCode.cluster;
}

/**
 * One line for stderr: the message only, never a stack, with line breaks folded and every other
 * control character escaped, piped or not: a message may carry a server's own text (a hostile
 * server's escape sequences), and stderr is the terminal even when stdout is piped.
 */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `dalli: ${escapeControls(message.replace(/\s*\n\s*/g, ' '))}\n`;
}

import { type Command, Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import { type DecodeContext, MORE_REPLIES, type OperationSpec, serverError } from './operation.ts';

/** Commands for a whole server rather than a key: flush, stats, version, noop. */

/** version: the server's version string. */
function decodeVersion(reply: Reply, context: { server: string; operation: string }): string {
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  return reply.text;
}

/** flush, noop: true once the server has done it. */
function decodeDone(reply: Reply, context: { server: string; operation: string }): true {
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  return true;
}

/**
 * stats: memcached answers with one reply per statistic, then a final one. They are gathered in
 * a record kept beside the exchange, looked up by the exchange itself.
 */
const gathered = new WeakMap<DecodeContext, Record<string, string>>();

function decodeStat(reply: Reply, context: DecodeContext): Record<string, string> | typeof MORE_REPLIES {
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  let stats = gathered.get(context);
  if (stats === undefined) {
    stats = {};
    gathered.set(context, stats);
  }
  if (reply.final) {
    gathered.delete(context);
    return stats;
  }
  stats[reply.key] = reply.text;
  return MORE_REPLIES;
}

export const FLUSH: OperationSpec<true> = { name: 'flush', decode: decodeDone, idempotent: true };
export const NOOP: OperationSpec<true> = { name: 'noop', decode: decodeDone, idempotent: true };
export const VERSION: OperationSpec<string> = { name: 'version', decode: decodeVersion, idempotent: true };
export const STATS: OperationSpec<Record<string, string>> = { name: 'stats', decode: decodeStat, idempotent: true };

export const flushCommand = (delay: number): Command => ({ op: Op.flush, expiration: delay });
export const statsCommand = (group: string | undefined): Command => ({ op: Op.stats, key: group });
export const versionCommand: Command = { op: Op.version };
export const noopCommand: Command = { op: Op.noop };

import { InvalidArgumentError } from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import { type DecodeContext, MORE_REPLIES, type ServerOperation, serverError } from './operation.ts';
import { expirationFor } from './ttl.ts';

/** Commands for a whole server rather than a key: flush, stats, version, noop. */

const STATS_GROUP = /^[a-z_]+( [0-9 ]+)?$/;

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

/**
 * flush with a delay, as Dalli: the first server now, the next after `delay` seconds, the next
 * after twice that. Past 30 days memcached reads a delay as a Unix time, so it becomes one, as a TTL does.
 */
export const FLUSH: ServerOperation<true, number> = {
  name: 'flush',
  op: Op.flush,
  decode: decodeDone,
  idempotent: true,
  effect: 'clear',
  near: 'clear',
  check(delay, servers) {
    // Every server's delay is checked before the first flush leaves: the last one is the largest.
    expirationFor(delay, 'flush', 'delay');
    expirationFor(delay * Math.max(0, servers - 1), 'flush', 'delay');
  },
  build: (index, delay) => ({ op: Op.flush, expiration: expirationFor(delay * index, 'flush', 'delay') }),
};
const noopCommand: Command = { op: Op.noop };
export const NOOP: ServerOperation<true> = {
  name: 'noop',
  op: Op.noop,
  decode: decodeDone,
  idempotent: true,
  effect: 'none',
  near: 'none',
  build: () => noopCommand,
};
const versionCommand: Command = { op: Op.version };
export const VERSION: ServerOperation<string> = {
  name: 'version',
  op: Op.version,
  decode: decodeVersion,
  idempotent: true,
  effect: 'none',
  near: 'none',
  build: () => versionCommand,
};
/** stats, general or of a group (`settings`, `items`, `slabs`, …). */
export const STATS: ServerOperation<Record<string, string>, string | undefined> = {
  name: 'stats',
  op: Op.stats,
  decode: decodeStat,
  idempotent: true,
  effect: 'none',
  near: 'none',
  check(group) {
    if (group !== undefined && (typeof group !== 'string' || !STATS_GROUP.test(group))) {
      throw new InvalidArgumentError(`unknown stats group "${String(group)}"`, { operation: 'stats' });
    }
  },
  build: (_, group) => ({ op: Op.stats, key: group }),
};

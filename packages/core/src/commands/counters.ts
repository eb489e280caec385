import { ProtocolError } from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import { uint64 } from './argument-checks.ts';
import { type OperationSpec, serverError } from './operation.ts';

/**
 * incr, decr: the new value, or undefined when the key is missing and no initial value was given.
 * A success without a counter (binary: no 8-byte body; meta, text: no decimal value) is a
 * {@link ProtocolError} that drops the connection, never a miss: the replies cannot be trusted.
 */
function decodeCounter(reply: Reply, context: { server: string; operation: string }): bigint | undefined {
  if (reply.status === ReplyStatus.notFound) return undefined;
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  const counter = reply.counter;
  if (counter === undefined) throw new ProtocolError('the counter reply does not hold a 64-bit counter value', context);
  return counter;
}

export const INCR: OperationSpec<bigint | undefined> = { name: 'incr', decode: decodeCounter, idempotent: false };
export const DECR: OperationSpec<bigint | undefined> = { name: 'decr', decode: decodeCounter, idempotent: false };

/**
 * incr, decr. Without an initial value a miss fails (and the TTL is moot); with one, a missing
 * counter is created holding it, living for `expiration()`.
 */
export function counterCommand(
  operation: 'incr' | 'decr',
  wireKey: string,
  amount: unknown,
  initial: unknown,
  expiration: () => number,
): Command {
  const delta = uint64(amount, 'amount', operation);
  const op = operation === 'incr' ? Op.incr : Op.decr;
  if (initial === undefined) return { op, key: wireKey, delta };
  return { op, key: wireKey, delta, initial: uint64(initial, 'initial', operation), expiration: expiration() };
}

import { ProtocolError } from '../errors.ts';
import { Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import { uint64 } from './argument-checks.ts';
import { type KeyedOperation, serverError } from './operation.ts';
import { expirationFor } from './ttl.ts';

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

/**
 * incr, decr by `amount`. Without an initial value a miss fails (and the TTL is moot); with one, a
 * missing counter is created holding it, living for `ttl` seconds (the client's `expiresIn` when
 * undefined).
 */
function counterOperation(
  name: 'incr' | 'decr',
  op: Op,
): KeyedOperation<bigint | undefined, unknown, unknown, number | undefined> {
  return {
    name,
    op,
    decode: decodeCounter,
    idempotent: false,
    effect: 'forget',
    near: 'write',
    build(key, amount, initial, ttl, context) {
      const delta = uint64(amount, 'amount', name);
      if (initial === undefined) return { op, key, delta };
      const start = uint64(initial, 'initial', name);
      return { op, key, delta, initial: start, expiration: expirationFor(ttl ?? context.expiresIn, name) };
    },
  };
}

/** incr and decr: the amount, the initial value (or undefined), the TTL of a created counter. */
export type CounterOperation = KeyedOperation<bigint | undefined, unknown, unknown, number | undefined>;
export const INCR: CounterOperation = counterOperation('incr', Op.incr);
export const DECR: CounterOperation = counterOperation('decr', Op.decr);

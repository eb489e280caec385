import { ProtocolError } from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import type { EncodedValue } from '../values/encoded-value.ts';
import { checkItemSize } from '../values/item-size.ts';
import { isLeaseStub } from './leases.ts';
import { type BatchKind, type BuildContext, type DecodeContext, replyValue, serverError } from './operation.ts';
import { decodeWrite } from './writes.ts';

/**
 * getMulti over quiet gets (binary getkq, meta `mg … q`): a reply is a hit (or an error); silence
 * is a miss. A hit must name the key asked for: a last line of defence against a reply reaching
 * the wrong request (a mismatch destroys the connection).
 */
export const getMultiKind: BatchKind<Map<string, unknown>> = {
  operation: 'getMulti',
  op: Op.get,
  effect: 'none',
  idempotent: true,
  dedupe: false,
  results: () => new Map(),
  build: (key) => ({ op: Op.get, key, quiet: true }),
  record(part, reply, results) {
    const value = decodeKeyedGet(reply, part, part.wireKey);
    if (value !== undefined) results.set(part.key, value);
  },
  silence() {},
};

function decodeKeyedGet(reply: Reply, context: DecodeContext, wireKey: string): unknown {
  if (reply.status === ReplyStatus.notFound) return undefined;
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  if (!reply.keyIs(wireKey)) {
    throw new ProtocolError(`reply for key "${reply.key}" arrived for key "${wireKey}"`, context);
  }
  if (isLeaseStub(reply)) return undefined;
  return replyValue(reply, context);
}

/** The values of a setMulti, encoded (and checked) before any is sent, and their expiration. */
export interface EncodedEntries {
  readonly values: ReadonlyMap<string, EncodedValue>;
  readonly expiration: number;
}

/** setMulti and deleteMulti over quiet writes: silence is success; a reply is a refusal or an error. */
function writeKind<A>(
  operation: string,
  op: Op,
  build: (wireKey: string, key: string, a: A, context: BuildContext) => Command,
): BatchKind<Map<string, boolean>, A> {
  return {
    operation,
    op,
    effect: 'forget',
    idempotent: false,
    dedupe: true,
    results: () => new Map(),
    build,
    record(part, reply, results) {
      results.set(part.key, decodeWrite(reply, part));
    },
    silence(part, results) {
      results.set(part.key, true);
    },
  };
}

export const setMultiKind: BatchKind<Map<string, boolean>, EncodedEntries> = writeKind<EncodedEntries>(
  'setMulti',
  Op.set,
  (key, callerKey, entries, context) => {
    const value = entries.values.get(callerKey) as EncodedValue;
    checkItemSize(key, value, context.valueMaxBytes, 'setMulti');
    return { op: Op.set, key, value: value.bytes, flags: value.flags, expiration: entries.expiration, quiet: true };
  },
);
export const deleteMultiKind: BatchKind<Map<string, boolean>> = writeKind<undefined>(
  'deleteMulti',
  Op.delete,
  (key) => ({
    op: Op.delete,
    key,
    quiet: true,
  }),
);

import { ProtocolError } from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import { isLeaseStub } from './leases.ts';
import { type BatchKind, type DecodeContext, replyValue, serverError } from './operation.ts';
import { decodeWrite } from './writes.ts';

/**
 * getMulti over quiet gets (binary getkq, meta `mg … q`): a reply is a hit (or an error); silence
 * is a miss. A hit must name the key asked for: a last line of defence against a reply reaching
 * the wrong request (a mismatch destroys the connection).
 */
export const getMultiKind: BatchKind<Map<string, unknown>> = {
  operation: 'getMulti',
  idempotent: true,
  dedupe: false,
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

/** setMulti and deleteMulti over quiet writes: silence is success; a reply is a refusal or an error. */
function writeKind(operation: string): BatchKind<Map<string, boolean>> {
  return {
    operation,
    idempotent: false,
    dedupe: true,
    record(part, reply, results) {
      results.set(part.key, decodeWrite(reply, part));
    },
    silence(part, results) {
      results.set(part.key, true);
    },
  };
}

export const setMultiKind: BatchKind<Map<string, boolean>> = writeKind('setMulti');
export const deleteMultiKind: BatchKind<Map<string, boolean>> = writeKind('deleteMulti');

export const quietGetCommand = (wireKey: string): Command => ({ op: Op.get, key: wireKey, quiet: true });
export const quietDeleteCommand = (wireKey: string): Command => ({ op: Op.delete, key: wireKey, quiet: true });
export const quietSetCommand = (
  wireKey: string,
  value: Uint8Array | string,
  flags: number,
  expiration: number,
): Command => ({ op: Op.set, key: wireKey, value, flags, expiration, quiet: true });

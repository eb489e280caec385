import { ProtocolError } from '../errors.ts';
import { Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import { isLeaseStub } from './leases.ts';
import { type BatchKind, type DecodeContext, type KeyedOperation, replyValue, serverError } from './operation.ts';

/**
 * The reads the near cache (recipes/near-cache/) makes on the dispatcher: they keep what a plain
 * get drops (the CAS token, the value's size on the wire), and are never run through the client's
 * runner, so they have no cache effect of their own.
 */

/** A value read for the near cache: the decoded value, its CAS token (0 if unknown) and its bytes on the wire. */
export interface NearRead {
  readonly value: unknown;
  readonly cas: bigint;
  readonly bytes: number;
}

/** A hit must echo its key, as every other read checks (reads.ts). */
function hitOf(reply: Reply, context: DecodeContext): boolean {
  if (reply.status === ReplyStatus.notFound || isLeaseStub(reply)) return false;
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  const wireKey = context.routeKey;
  if (wireKey !== undefined && !reply.keyIs(wireKey)) {
    throw new ProtocolError(`reply for key "${reply.key}" arrived for key "${wireKey}"`, context);
  }
  return true;
}

const nearRead = (reply: Reply, context: DecodeContext): NearRead => ({
  value: replyValue(reply, context),
  cas: reply.cas,
  bytes: reply.valueEnd - reply.valueStart,
});

/** A get that keeps the CAS token and the value's size (binary GETK, meta `mg … v f c k`, text `gets`). */
export const NEAR_GET: KeyedOperation<NearRead | undefined> = {
  name: 'get',
  op: Op.gets,
  decode: (reply, context) => (hitOf(reply, context) ? nearRead(reply, context) : undefined),
  idempotent: true,
  read: true,
  effect: 'none',
  near: 'none',
  build: (key) => ({ op: Op.gets, key }),
};

/** `mg <key> c k`: memcached 1.6.18 answers `HD c<cas> k<key>`, no value bytes. Meta only. */
export const CAS_OF: KeyedOperation<bigint | undefined> = {
  name: 'get',
  op: Op.casOf,
  decode: (reply, context) => (hitOf(reply, context) ? reply.cas : undefined),
  idempotent: true,
  read: true,
  needs: 'metadata',
  effect: 'none',
  near: 'none',
  build: (key) => ({ op: Op.casOf, key }),
};

/** getMulti's batch, recording value, CAS (binary only: quiet meta and text gets carry none) and size. */
export const nearMultiKind: BatchKind<Map<string, NearRead>> = {
  operation: 'getMulti',
  op: Op.get,
  effect: 'none',
  idempotent: true,
  dedupe: false,
  results: () => new Map(),
  build: (key) => ({ op: Op.get, key, quiet: true }),
  record(part, reply, results) {
    if (reply.status === ReplyStatus.notFound) return;
    if (reply.status !== ReplyStatus.ok) throw serverError(reply, part);
    if (!reply.keyIs(part.wireKey)) {
      throw new ProtocolError(`reply for key "${reply.key}" arrived for key "${part.wireKey}"`, part);
    }
    if (isLeaseStub(reply)) return;
    results.set(part.key, nearRead(reply, part));
  },
  silence() {},
};

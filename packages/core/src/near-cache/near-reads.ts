import { isLeaseStub } from '../commands/leases.ts';
import { type DecodeContext, type OperationSpec, replyValue, serverError } from '../commands/operation.ts';
import type { BatchKind } from '../dispatch/batch.ts';
import type { Dispatcher } from '../dispatch/dispatcher.ts';
import { ProtocolError } from '../errors.ts';
import type { OperationOptions } from '../operation-options.ts';
import { type Command, Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';

/** A value read for the near cache: the decoded value, its CAS token (0 if unknown) and its bytes on the wire. */
export interface NearRead {
  readonly value: unknown;
  readonly cas: bigint;
  readonly bytes: number;
}

/** The reads the near cache makes, on the client's dispatcher, never through the public client. */
export interface NearReadIo {
  /** A gets: value, CAS and size; undefined on a miss. */
  read(key: string, options: OperationOptions | undefined): Promise<NearRead | undefined>;
  /** Meta only: the item's CAS without its value; undefined on a miss. Absent in binary and text. */
  readonly casOf: ((key: string, options: OperationOptions | undefined) => Promise<bigint | undefined>) | undefined;
  /** One batch of quiet gets; what arrived, keyed as given. */
  readMulti(keys: readonly string[], options: OperationOptions | undefined): Promise<Map<string, NearRead>>;
}

/** A hit must echo its key, as every other read checks (commands/reads.ts). */
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
const NEAR_GET: OperationSpec<NearRead | undefined> = {
  name: 'get',
  decode: (reply, context) => (hitOf(reply, context) ? nearRead(reply, context) : undefined),
  idempotent: true,
  read: true,
};

/** `mg <key> c k`: memcached 1.6.18 answers `HD c<cas> k<key>`, no value bytes. */
const NEAR_CAS: OperationSpec<bigint | undefined> = {
  name: 'get',
  decode: (reply, context) => (hitOf(reply, context) ? reply.cas : undefined),
  idempotent: true,
  read: true,
  dialects: ['meta'],
};

const getsCommand = (key: string): Command => ({ op: Op.gets, key });
const casOfCommand = (key: string): Command => ({ op: Op.casOf, key });
const quietGetCommand = (key: string): Command => ({ op: Op.get, key, quiet: true });

/** getMulti's batch, recording value, CAS (binary only: quiet meta and text gets carry none) and size. */
const nearMultiKind: BatchKind<Map<string, NearRead>> = {
  operation: 'getMulti',
  idempotent: true,
  dedupe: false,
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

/** The near cache's reads on `dispatcher`; the CAS-only revalidation only where the dialect has it. */
export function nearReadIo(dispatcher: Dispatcher, meta: boolean): NearReadIo {
  return {
    read: (key, options) => dispatcher.keyed(NEAR_GET, key, options, getsCommand),
    casOf: meta ? (key, options) => dispatcher.keyed(NEAR_CAS, key, options, casOfCommand) : undefined,
    readMulti: (keys, options) =>
      dispatcher.batch(nearMultiKind, new Map(), keys, options, dispatcher.raw, quietGetCommand),
  };
}

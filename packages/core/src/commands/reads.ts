import { ProtocolError } from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import { type ItemMetadata, LeaseFlag, type Reply, ReplyStatus } from '../protocol/reply.ts';
import { isLeaseStub } from './leases.ts';
import { type DecodeContext, type OperationSpec, replyValue, serverError } from './operation.ts';
import { decodeWrite } from './writes.ts';

/** The value of a gets reply, with its CAS token. */
export interface CasValue {
  readonly value: unknown;
  readonly cas: bigint;
}

/** A value with what the server knows about its item (getWithMetadata). */
export interface ValueWithMetadata extends ItemMetadata {
  readonly value: unknown;
  /** The item was invalidated (`invalidate(key, { grace })`): this is the old value, kept for the grace. */
  readonly stale: boolean;
  /** This read won the right to recompute the item (memcached hands it to the first reader of a stale item). */
  readonly win: boolean;
  /** Another reader already won the right to recompute it. */
  readonly alreadyWon: boolean;
}

/**
 * get, gets and gat replies echo the key in every dialect (binary GETK / GATK, meta `k`, text
 * `VALUE <key>`): a hit naming another key is a ProtocolError that drops the connection, the same
 * second check multi-gets have, behind the opaque or the reply order (bench/keyed-get*.mjs).
 */
function checkKey(reply: Reply, context: DecodeContext): void {
  const wireKey = context.routeKey;
  if (wireKey !== undefined && !reply.keyIs(wireKey)) {
    throw new ProtocolError(`reply for key "${reply.key}" arrived for key "${wireKey}"`, context);
  }
}

/** get, gat: the value, or undefined on a miss. */
function decodeGet(reply: Reply, context: DecodeContext): unknown {
  if (reply.status === ReplyStatus.notFound || isLeaseStub(reply)) return undefined;
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  checkKey(reply, context);
  return replyValue(reply, context);
}

/** gets: the value and its CAS token, or undefined on a miss. */
function decodeGets(reply: Reply, context: DecodeContext): CasValue | undefined {
  if (reply.status === ReplyStatus.notFound || isLeaseStub(reply)) return undefined;
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  checkKey(reply, context);
  return { value: replyValue(reply, context), cas: reply.cas };
}

function decodeWithMetadata(reply: Reply, context: DecodeContext): ValueWithMetadata | undefined {
  if (reply.status === ReplyStatus.notFound || isLeaseStub(reply)) return undefined;
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  const metadata = reply.metadata as ItemMetadata;
  return {
    value: replyValue(reply, context),
    cas: metadata.cas,
    ttl: metadata.ttl,
    hitBefore: metadata.hitBefore,
    lastAccess: metadata.lastAccess,
    stale: ((reply.leaseFlags ?? 0) & LeaseFlag.stale) !== 0,
    win: ((reply.leaseFlags ?? 0) & LeaseFlag.win) !== 0,
    alreadyWon: ((reply.leaseFlags ?? 0) & LeaseFlag.alreadyWon) !== 0,
  };
}

// Reads (and touch, which only sets a TTL) may be resent after reaching the server.
export const GET: OperationSpec<unknown> = {
  name: 'get',
  decode: decodeGet,
  idempotent: true,
  read: true,
  missOnSilence: true,
};
export const GETS: OperationSpec<CasValue | undefined> = {
  name: 'gets',
  decode: decodeGets,
  idempotent: true,
  read: true,
};
export const GAT: OperationSpec<unknown> = { name: 'gat', decode: decodeGet, idempotent: true, read: true };
export const TOUCH: OperationSpec<boolean> = { name: 'touch', decode: decodeWrite, idempotent: true };
/** Only the meta protocol returns what the server knows about an item. */
export const GET_WITH_METADATA: OperationSpec<ValueWithMetadata | undefined> = {
  name: 'getWithMetadata',
  decode: decodeWithMetadata,
  idempotent: true,
  read: true,
  needs: 'metadata',
};

export const getCommand = (key: string): Command => ({ op: Op.get, key });
export const getsCommand = (key: string): Command => ({ op: Op.gets, key });
export const getWithMetadataCommand = (key: string): Command => ({ op: Op.getWithMetadata, key });
export const gatCommand = (key: string, expiration: number): Command => ({ op: Op.gat, key, expiration });
export const touchCommand = (key: string, expiration: number): Command => ({ op: Op.touch, key, expiration });

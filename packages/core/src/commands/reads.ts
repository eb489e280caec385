import { ProtocolError } from '../errors.ts';
import { Op } from '../protocol/command.ts';
import { type ItemMetadata, LeaseFlag, type Reply, ReplyStatus } from '../protocol/reply.ts';
import { isLeaseStub } from './leases.ts';
import { type BuildContext, type DecodeContext, type KeyedOperation, replyValue, serverError } from './operation.ts';
import { expirationFor } from './ttl.ts';
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

/** A TTL in seconds (the client's `expiresIn` when undefined) as memcached's expiration. */
function expiration(ttl: number | undefined, operation: string, context: BuildContext): number {
  return expirationFor(ttl ?? context.expiresIn, operation);
}

// Reads (and touch, which only sets a TTL) may be resent after reaching the server.
export const GET: KeyedOperation<unknown> = {
  name: 'get',
  op: Op.get,
  decode: decodeGet,
  idempotent: true,
  read: true,
  missOnSilence: true,
  effect: 'read',
  near: 'read',
  build: (key) => ({ op: Op.get, key }),
};
export const GETS: KeyedOperation<CasValue | undefined> = {
  name: 'gets',
  op: Op.gets,
  decode: decodeGets,
  idempotent: true,
  read: true,
  effect: 'none',
  near: 'none',
  build: (key) => ({ op: Op.gets, key }),
};
export const GAT: KeyedOperation<unknown, number | undefined> = {
  name: 'gat',
  op: Op.gat,
  decode: decodeGet,
  idempotent: true,
  read: true,
  effect: 'none',
  near: 'write',
  build: (key, ttl, _b, _c, context) => ({ op: Op.gat, key, expiration: expiration(ttl, 'gat', context) }),
};
/** gats: gat that also returns the CAS token, for a later conditional write. */
export const GATS: KeyedOperation<CasValue | undefined, number | undefined> = {
  name: 'gats',
  op: Op.gats,
  decode: decodeGets,
  idempotent: true,
  read: true,
  effect: 'none',
  near: 'write',
  build: (key, ttl, _b, _c, context) => ({ op: Op.gats, key, expiration: expiration(ttl, 'gats', context) }),
};
export const TOUCH: KeyedOperation<boolean, number | undefined> = {
  name: 'touch',
  op: Op.touch,
  decode: decodeWrite,
  idempotent: true,
  effect: 'none',
  near: 'write',
  build: (key, ttl, _b, _c, context) => ({ op: Op.touch, key, expiration: expiration(ttl, 'touch', context) }),
};
/** Only a dialect with item metadata (meta) returns what the server knows about an item. */
export const GET_WITH_METADATA: KeyedOperation<ValueWithMetadata | undefined> = {
  name: 'getWithMetadata',
  op: Op.getWithMetadata,
  decode: decodeWithMetadata,
  idempotent: true,
  read: true,
  needs: 'metadata',
  effect: 'none',
  near: 'none',
  build: (key) => ({ op: Op.getWithMetadata, key }),
};

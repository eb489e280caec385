import { Op } from '../protocol/command.ts';
import { LeaseFlag, type Reply, ReplyStatus } from '../protocol/reply.ts';
import { type DecodeContext, type KeyedOperation, replyValue, serverError } from './operation.ts';
import { expirationFor } from './ttl.ts';

/**
 * memcached's leases (meta `mg … N`, `md … I`), as Facebook's memcache paper describes them. On a
 * miss, `N<ttl>` makes an empty stub item and hands its creator `W`; every later read of the stub
 * sees `Z` until someone writes the key. Checked against memcached 1.6.18 (see the tests).
 */

/** What a lease read found. */
export interface LeaseRead {
  /** The value, or undefined when the item is only the lease's empty stub. */
  readonly value: unknown;
  /** True when the item is only the stub: nobody has written a value yet. */
  readonly stub: boolean;
  /** The CAS token: the winner writes with it, so an invalidation meanwhile refuses the write. */
  readonly cas: bigint;
  /** Seconds left before the item expires; -1 when it never does. */
  readonly ttl: number;
  /** This read won the right to compute (`W`). */
  readonly win: boolean;
  /** The item was invalidated (`X`): the value is the old one. */
  readonly stale: boolean;
  /** Another reader already won (`Z`). */
  readonly alreadyWon: boolean;
}

/**
 * A lease's stub: no bytes, flags 0, and a lease flag. A plain read treats it as a miss, so no
 * caller ever sees the placeholder as a value (Dalli's `fetch_with_lock` returns it as "").
 */
export function isLeaseStub(reply: Reply): boolean {
  const lease = reply.leaseFlags ?? 0;
  return (
    (lease & (LeaseFlag.win | LeaseFlag.alreadyWon)) !== 0 && reply.valueEnd === reply.valueStart && reply.flags === 0
  );
}

/** A read without `N` misses like any read (undefined); with `N` it never misses. */
function decodeLeaseRead(reply: Reply, context: DecodeContext): LeaseRead | undefined {
  if (reply.status === ReplyStatus.notFound) return undefined;
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  const lease = reply.leaseFlags ?? 0;
  const stub = isLeaseStub(reply);
  return {
    value: stub ? undefined : replyValue(reply, context),
    stub,
    cas: reply.cas,
    ttl: reply.metadata?.ttl ?? -1,
    win: (lease & LeaseFlag.win) !== 0,
    stale: (lease & LeaseFlag.stale) !== 0,
    alreadyWon: (lease & LeaseFlag.alreadyWon) !== 0,
  };
}

/** invalidate: true if the item was marked stale, false if it was absent. */
function decodeInvalidate(reply: Reply, context: DecodeContext): boolean {
  if (reply.status === ReplyStatus.notFound) return false;
  if (reply.status !== ReplyStatus.ok) throw serverError(reply, context);
  return true;
}

// A lease read can take the win (and with N create a stub): resending it after it reached the
// server could hand a second caller the win, so it is not idempotent.
/**
 * `mg … v f c t [N<lockTtl>] [R<recache>]`. Without `lockTtl` no stub is ever created: a miss stays
 * a miss for every client, and the flags still report (and hand out the win of) a stale item or an
 * early recache.
 */
export const LEASE_GET: KeyedOperation<LeaseRead | undefined, number | undefined, number | undefined> = {
  name: 'fetch',
  op: Op.leaseGet,
  decode: decodeLeaseRead,
  idempotent: false,
  needs: 'leases',
  effect: 'none',
  near: 'none',
  build: (key, lockTtl, recache) => ({ op: Op.leaseGet, key, expiration: lockTtl, recache }),
};
/** `md … I [T<grace>]`: without a grace the item keeps its own TTL. */
export const INVALIDATE: KeyedOperation<boolean, number | undefined> = {
  name: 'invalidate',
  op: Op.invalidate,
  decode: decodeInvalidate,
  idempotent: true,
  needs: 'leases',
  effect: 'forget',
  near: 'write',
  build: (key, grace) => ({
    op: Op.invalidate,
    key,
    expiration: grace === undefined ? undefined : expirationFor(grace, 'invalidate'),
  }),
};

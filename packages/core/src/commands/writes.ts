import { InvalidArgumentError } from '../errors.ts';
import { Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import { checkItemSize } from '../values/item-size.ts';
import type { EncodedValue } from '../values/value-codec.ts';
import { uint64 } from './argument-checks.ts';
import { type KeyedOperation, serverError } from './operation.ts';
import { expirationFor } from './ttl.ts';

/** Writes, delete: true when done; false when a condition refused it (exists, not stored, not found). */
export function decodeWrite(reply: Reply, context: { server: string; operation: string }): boolean {
  switch (reply.status) {
    case ReplyStatus.ok:
      return true;
    case ReplyStatus.exists:
    case ReplyStatus.notStored:
    case ReplyStatus.notFound:
      return false;
    default:
      throw serverError(reply, context);
  }
}

/** set, add, replace: the encoded value (its size checked), its TTL and an optional CAS token. */
function storeOperation(
  name: 'set' | 'add' | 'replace',
  op: Op,
): KeyedOperation<boolean, EncodedValue, number | undefined, unknown> {
  return {
    name,
    op,
    decode: decodeWrite,
    idempotent: false,
    effect: 'store',
    near: 'write',
    build(key, encoded, ttl, cas, context) {
      checkItemSize(key, encoded, context.valueMaxBytes, name);
      const expiration = expirationFor(ttl ?? context.expiresIn, name);
      const token = cas === undefined ? undefined : uint64(cas, 'cas', name);
      return { op, key, value: encoded.bytes, flags: encoded.flags, expiration, cas: token };
    },
  };
}

/** append, prepend: bytes, taken as they are. */
function concatOperation(name: 'append' | 'prepend', op: Op): KeyedOperation<boolean, unknown> {
  return {
    name,
    op,
    decode: decodeWrite,
    idempotent: false,
    effect: 'forget',
    near: 'write',
    build(key, value) {
      if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
        throw new InvalidArgumentError(`${name} takes a string or bytes`, { operation: name });
      }
      return { op, key, value };
    },
  };
}

// Writes that change data are never replayed once their bytes may have arrived.
/** set, add, replace: the encoded value, the TTL, the CAS token (or undefined). */
export type StoreOperation = KeyedOperation<boolean, EncodedValue, number | undefined, unknown>;
export const SET: StoreOperation = storeOperation('set', Op.set);
export const ADD: StoreOperation = storeOperation('add', Op.add);
export const REPLACE: StoreOperation = storeOperation('replace', Op.replace);
export const APPEND: KeyedOperation<boolean, unknown> = concatOperation('append', Op.append);
export const PREPEND: KeyedOperation<boolean, unknown> = concatOperation('prepend', Op.prepend);
/** delete, optionally conditional on a CAS token. */
export const DELETE: KeyedOperation<boolean, unknown> = {
  name: 'delete',
  op: Op.delete,
  decode: decodeWrite,
  idempotent: false,
  effect: 'forget',
  near: 'write',
  build: (key, cas) => ({ op: Op.delete, key, cas: cas === undefined ? undefined : uint64(cas, 'cas', 'delete') }),
};

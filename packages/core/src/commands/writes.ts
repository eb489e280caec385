import { InvalidArgumentError } from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import type { EncodedValue } from '../values/value-codec.ts';
import { uint64 } from './argument-checks.ts';
import { type OperationSpec, serverError } from './operation.ts';

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

// Writes that change data are never replayed once their bytes may have arrived.
export const SET: OperationSpec<boolean> = { name: 'set', decode: decodeWrite, idempotent: false };
export const ADD: OperationSpec<boolean> = { name: 'add', decode: decodeWrite, idempotent: false };
export const REPLACE: OperationSpec<boolean> = { name: 'replace', decode: decodeWrite, idempotent: false };
export const APPEND: OperationSpec<boolean> = { name: 'append', decode: decodeWrite, idempotent: false };
export const PREPEND: OperationSpec<boolean> = { name: 'prepend', decode: decodeWrite, idempotent: false };
export const DELETE: OperationSpec<boolean> = { name: 'delete', decode: decodeWrite, idempotent: false };

export type StoreOperation = 'set' | 'add' | 'replace';
const storeOps = { set: Op.set, add: Op.add, replace: Op.replace } as const;
export const storeSpecs: Readonly<Record<StoreOperation, OperationSpec<boolean>>> = {
  set: SET,
  add: ADD,
  replace: REPLACE,
};

/** set, add, replace: the value as encoded by the codec, its flags, the expiration and an optional CAS token. */
export function storeCommand(
  operation: StoreOperation,
  wireKey: string,
  { bytes, flags }: EncodedValue,
  expiration: number,
  cas: bigint | undefined,
): Command {
  return {
    op: storeOps[operation],
    key: wireKey,
    value: bytes,
    flags,
    expiration,
    cas: cas === undefined ? undefined : uint64(cas, 'cas', operation),
  };
}

/** append, prepend: bytes, taken as they are. */
export function concatCommand(operation: 'append' | 'prepend', wireKey: string, value: unknown): Command {
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
    throw new InvalidArgumentError(`${operation} takes a string or bytes`, { operation });
  }
  return { op: operation === 'append' ? Op.append : Op.prepend, key: wireKey, value };
}

/** delete, optionally conditional on a CAS token. */
export function deleteCommand(wireKey: string, cas: unknown): Command {
  return { op: Op.delete, key: wireKey, cas: cas === undefined ? undefined : uint64(cas, 'cas', 'delete') };
}

import { uint64 } from '../argument-checks.ts';
import { InvalidArgumentError } from '../errors.ts';
import { Opcode, type Request } from '../protocol/index.ts';
import type { EncodedValue } from '../values/value-codec.ts';

/**
 * Requests of the operations that take more than a key. Each checks its arguments and throws a
 * typed error before anything is sent.
 */

/** incr/decr without an initial value: memcached's "fail on a miss" expiration. */
const NO_INITIAL_VALUE_EXPIRATION = 0xffffffff;

export type StoreOperation = 'set' | 'add' | 'replace';
const storeOpcodes: Record<StoreOperation, Opcode> = { set: Opcode.set, add: Opcode.add, replace: Opcode.replace };

/** set, add, replace: the value as encoded by the codec, its flags, the expiration and an optional CAS token. */
export function storeRequest(
  operation: StoreOperation,
  wireKey: string,
  { bytes, flags }: EncodedValue,
  expiration: number,
  cas: bigint | undefined,
): Request {
  return {
    opcode: storeOpcodes[operation],
    key: wireKey,
    value: bytes,
    flags,
    expiration,
    cas: cas === undefined ? undefined : uint64(cas, 'cas', operation),
  };
}

/** append, prepend: bytes, taken as they are. */
export function concatRequest(operation: 'append' | 'prepend', wireKey: string, value: unknown): Request {
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
    throw new InvalidArgumentError(`${operation} takes a string or bytes`, { operation });
  }
  return { opcode: operation === 'append' ? Opcode.append : Opcode.prepend, key: wireKey, value };
}

/**
 * incr, decr. Without an initial value a miss fails (and the TTL is moot); with one, a missing
 * counter is created holding it, living for `expiration()`.
 */
export function counterRequest(
  operation: 'incr' | 'decr',
  wireKey: string,
  amount: unknown,
  initial: unknown,
  expiration: () => number,
): Request {
  return {
    opcode: operation === 'incr' ? Opcode.increment : Opcode.decrement,
    key: wireKey,
    delta: uint64(amount, 'amount', operation),
    initial: initial === undefined ? 0n : uint64(initial, 'initial', operation),
    expiration: initial === undefined ? NO_INITIAL_VALUE_EXPIRATION : expiration(),
  };
}

/** delete, optionally conditional on a CAS token. */
export function deleteRequest(wireKey: string, cas: unknown): Request {
  return { opcode: Opcode.delete, key: wireKey, cas: cas === undefined ? undefined : uint64(cas, 'cas', 'delete') };
}

/**
 * What the client asks of a server, in no dialect's words. Each {@link WireProtocol} encodes a
 * command its own way (a binary frame, an `mg` line, a `get` line); the client and the dispatcher
 * only ever build these.
 */
export const Op = {
  /** The value and its flags. */
  get: 0,
  /** The value, its flags and its CAS token. */
  gets: 1,
  /** get and set a new TTL in one request. */
  gat: 2,
  touch: 3,
  set: 4,
  add: 5,
  replace: 6,
  append: 7,
  prepend: 8,
  delete: 9,
  incr: 10,
  decr: 11,
  /** Invalidate every item, after `expiration` seconds. */
  flush: 12,
  version: 13,
  /** Statistics; `key` names a group (`settings`, `items`, …). */
  stats: 14,
  /** Does nothing; its reply proves every earlier request on the connection done. */
  noop: 15,
  /** The value with what the server knows of the item (CAS, TTL left, hit before, last access). */
  getWithMetadata: 16,
  /** Login steps: binary SASL (list mechanisms; authenticate with `key` as the mechanism) … */
  saslListMechs: 17,
  saslAuth: 18,
  /** … and memcached's ASCII authentication (`-Y`): a `set` whose data is `value`. */
  asciiAuth: 19,
  /**
   * Meta only: read with the lease flags (`mg … [N<expiration>] [R<recache>]`); with N a miss makes
   * a stub and wins (`W`).
   */
  leaseGet: 20,
  /** Meta only: mark the item stale (`md … I [T<expiration>]`) instead of deleting it. */
  invalidate: 21,
  /** gat with the CAS token: get, set a new TTL, and return the item's CAS in one request. */
  gats: 22,
  /** Meta only: the item's CAS token and no value (`mg <key> c`), to revalidate a copy held by the near cache. */
  casOf: 23,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** One request. Which fields are read depends on `op`; the rest are ignored. */
export interface Command {
  readonly op: Op;
  /** Sent as UTF-8. Its length is already checked. */
  readonly key?: string | undefined;
  /** A get of several keys in one request (text `get k1 k2 …`), instead of `key`. */
  readonly keys?: readonly string[] | undefined;
  /** Bytes, or text sent as UTF-8. */
  readonly value?: Uint8Array | string | undefined;
  /** Store family: the 32-bit flags word memcached keeps beside the value. */
  readonly flags?: number | undefined;
  /** Store, counter, touch, gat and flush: seconds, or a Unix time (32 bits). */
  readonly expiration?: number | undefined;
  /** Counters: the amount to add or subtract (64 bits). */
  readonly delta?: bigint | undefined;
  /** Counters: the value to create a missing item with; a miss fails when undefined. */
  readonly initial?: bigint | undefined;
  /** Compare-and-swap token; absent (or 0) means "any version". */
  readonly cas?: bigint | undefined;
  /**
   * Part of a batch: a success (or, for reads, a miss) gets no reply, and a later reply on the
   * connection proves it done. Only get, set and delete are sent quiet.
   */
  readonly quiet?: boolean | undefined;
  /** leaseGet: win a recache when the item has fewer than this many seconds left (meta `R`). */
  readonly recache?: number | undefined;
}

/** memcached refuses keys longer than this (and closes a binary connection that sends one). */
export const MAX_KEY_LENGTH = 250;

/** Field values are checked where commands are built; this keeps a bad one off the wire regardless. */
export function checkedUint32(value: number, name: string): number {
  if (!(value >= 0 && value <= 0xffffffff && Number.isInteger(value)))
    throw new RangeError(`${name} ${value} is not a 32-bit unsigned integer`);
  return value;
}

/** The value's length in bytes, as it will be sent. */
export function valueByteLength(command: { readonly value?: Uint8Array | string | undefined }): number {
  const value = command.value;
  if (value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

import { ServerError } from '../errors.ts';
import type { Command, Op } from '../protocol/command.ts';
import type { Reply } from '../protocol/reply.ts';
import type { Capability } from '../protocol/wire-protocol.ts';
import type { InflateBudget, ValueCodec } from '../values/value-codec.ts';

/** Returned by a decoder while an answer spans several replies (stats); the exchange waits for the next. */
export const MORE_REPLIES: unique symbol = Symbol('more replies');

/** What a decoder knows about its request. */
export interface DecodeContext {
  readonly server: string;
  readonly operation: string;
  readonly codec: ValueCodec;
  /** Return values as bytes, without deserializing (per-request or client `raw`). */
  readonly raw: boolean;
  /** The wire key asked for, which a keyed reply must echo; undefined for keyless requests. */
  readonly routeKey?: string | undefined;
  /** What a multi-key read may still decompress in all; undefined for a single read. */
  readonly inflateBudget?: InflateBudget | undefined;
}

/** Turns an operation's reply into its result, or throws a typed error for this request only. */
export type Decode<T> = (reply: Reply, context: DecodeContext) => T | typeof MORE_REPLIES;

/** What an operation is, in every dialect: defined once per operation, shared by its requests. */
export interface OperationSpec<T> {
  readonly name: string;
  readonly decode: Decode<T>;
  /** Safe to resend after it reached the server (reads, touch, stats): repeating it changes nothing. */
  readonly idempotent: boolean;
  /** A read of one key, whose result says hit or miss (for diagnostics). */
  readonly read?: boolean;
  /** What the dialect must be able to do to carry it; every dialect can when absent. */
  readonly needs?: Capability | undefined;
  /**
   * A plain read of one key whose miss may be told by silence: its request may ride in a
   * multi-key get (text `get k1 k2 …`) with others, its miss proven by the END that closes it.
   */
  readonly missOnSilence?: boolean;
}

/** What a descriptor's `build` may need beside its arguments: the client's defaults and limits. */
export interface BuildContext {
  /** The client's `expiresIn`, in seconds: the TTL of a write given none. */
  readonly expiresIn: number;
  /** The client's `valueMaxBytes`: an item over it is refused before anything is sent. */
  readonly valueMaxBytes: number;
}

/**
 * How an operation touches the local cache (`withLocalCache`), applied by the client's one runner:
 * a read goes through it, a store updates it, a forget drops the key, a clear drops all.
 */
export type LocalEffect = 'read' | 'store' | 'forget' | 'clear' | 'none';

/**
 * How an operation touches the near cache (`nearCache` option), applied by the client's runner: a
 * read may be answered from it, a write drops its key (at once and when it settles) and tells the
 * other processes, a clear drops every key. A TTL change counts as a write: the entry was read
 * with the old one.
 */
export type NearEffect = 'read' | 'write' | 'clear' | 'none';

/**
 * One operation on one key, the unit the client, the dispatcher and every dialect key on: its name,
 * its {@link Op} (each dialect's tables have a row per op), whether it may be resent, the
 * capability it needs, its local- and near-cache effects, how its request is built from the wire
 * key and the call's arguments (checked there, before any byte is sent), and how its reply is
 * decoded.
 * Descriptors are static: running one allocates no closure and no argument array.
 */
export interface KeyedOperation<T, A = undefined, B = undefined, C = undefined> extends OperationSpec<T> {
  readonly op: Op;
  readonly effect: LocalEffect;
  readonly near: NearEffect;
  build(wireKey: string, a: A, b: B, c: C, context: BuildContext): Command;
}

/** One operation sent to every server (flush, stats, version, noop); `index` is the server's place in the list. */
export interface ServerOperation<T, A = undefined> extends OperationSpec<T> {
  readonly op: Op;
  readonly effect: LocalEffect;
  readonly near: NearEffect;
  /** Refuses a bad argument before any server is asked; `servers` is how many will be. */
  check?(a: A, servers: number): void;
  build(index: number, a: A): Command;
}

/** An error reply the operation does not treat as an answer. */
export function serverError(reply: Reply, context: { server: string; operation: string }): ServerError {
  const text = reply.text;
  const detail = text.length > 0 ? `: ${text}` : '';
  return new ServerError(reply.status, `memcached replied ${reply.status}${detail}`, context);
}

/** The reply's value, decoded by its flags (or as bytes when `raw`). */
export function replyValue(reply: Reply, context: DecodeContext): unknown {
  const { buffer, valueStart, valueEnd, flags } = reply;
  return context.codec.decode(buffer, valueStart, valueEnd, flags, context.raw, context, context.inflateBudget);
}

/** One key of a multi-key operation, as its kind reads it: the caller's key and the wire key. */
export interface BatchKey extends DecodeContext {
  /** The caller's key, as results are keyed. */
  readonly key: string;
  /** The key on the wire (namespaced, maybe shortened), as replies carry it. */
  readonly wireKey: string;
}

/** A multi-key operation: a quiet request per key, each key's reply read into one result. */
export interface BatchKind<R, A = undefined> {
  readonly operation: string;
  readonly op: Op;
  readonly effect: LocalEffect;
  /** A fresh, empty result. */
  results(): R;
  /** One key's request, from its wire key, the caller's key and the call's argument. */
  build(wireKey: string, key: string, a: A, context: BuildContext): Command;
  /** Safe to resend a key's request after it reached the server (getMulti). */
  readonly idempotent: boolean;
  /** A key given twice must be asked once (deleteMulti: the second delete would answer "absent"). */
  readonly dedupe: boolean;
  /** Records a reply; throws a typed error for that key alone. */
  record(part: BatchKey, reply: Reply, results: R): void;
  /** A quiet request passed over without a reply: memcached's silent success (or a get's miss). */
  silence(part: BatchKey, results: R): void;
}

import { ServerError } from '../errors.ts';
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

/** How a multi-key operation reads each key's reply into its results. */
export interface BatchKind<R> {
  readonly operation: string;
  /** Safe to resend a key's request after it reached the server (getMulti). */
  readonly idempotent: boolean;
  /** A key given twice must be asked once (deleteMulti: the second delete would answer "absent"). */
  readonly dedupe: boolean;
  /** Records a reply; throws a typed error for that key alone. */
  record(part: BatchKey, reply: Reply, results: R): void;
  /** A quiet request passed over without a reply: memcached's silent success (or a get's miss). */
  silence(part: BatchKey, results: R): void;
}

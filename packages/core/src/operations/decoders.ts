import { ProtocolError, ServerError } from '../errors.ts';
import {
  HEADER_LENGTH,
  type ResponseFrame,
  responseCas,
  responseCounter,
  responseFlags,
  responseKey,
  responseText,
  Status,
  statusName,
  valueEnd,
  valueStart,
} from '../protocol/index.ts';
import type { InflateBudget, ValueCodec } from '../values/value-codec.ts';

/**
 * Reply decoders, one per kind of operation. Each turns a frame into the operation's result or
 * throws a typed error for that request alone; the connection stays in step either way.
 */

/** What a decoder knows about its request. */
export interface DecodeContext {
  readonly server: string;
  readonly operation: string;
  readonly codec: ValueCodec;
  /** Return values as bytes, without deserializing (per-request or client `raw`). */
  readonly raw: boolean;
  /** The wire key asked for, which a keyed reply (GETK) must echo; undefined for keyless requests. */
  readonly routeKey?: string | undefined;
  /** What a multi-key read may still decompress in all; undefined for a single read. */
  readonly inflateBudget?: InflateBudget | undefined;
}

/** The value of a gets reply, with its CAS token. */
export interface CasValue {
  readonly value: unknown;
  readonly cas: bigint;
}

/** An error status the operation does not treat as an answer. */
export function serverError(frame: ResponseFrame, context: { server: string; operation: string }): ServerError {
  const detail = frame.bodyLength > frame.extrasLength + frame.keyLength ? `: ${responseText(frame)}` : '';
  return new ServerError(frame.status, `memcached replied ${statusName(frame.status)}${detail}`, context);
}

function value(frame: ResponseFrame, context: DecodeContext): unknown {
  return context.codec.decode(
    frame.buffer,
    valueStart(frame),
    valueEnd(frame),
    responseFlags(frame),
    context.raw,
    context,
    context.inflateBudget,
  );
}

/** get, gat: the value, or undefined on a miss. */
export function decodeGet(frame: ResponseFrame, context: DecodeContext): unknown {
  if (frame.status === Status.keyNotFound) return undefined;
  if (frame.status !== Status.noError) throw serverError(frame, context);
  return value(frame, context);
}

/** gets: the value and its CAS token, or undefined on a miss. */
export function decodeGets(frame: ResponseFrame, context: DecodeContext): CasValue | undefined {
  if (frame.status === Status.keyNotFound) return undefined;
  if (frame.status !== Status.noError) throw serverError(frame, context);
  return { value: value(frame, context), cas: responseCas(frame) };
}

/** get by GETK: the value, once the reply is shown to name the key asked for. */
export function decodeKeyedSingleGet(frame: ResponseFrame, context: DecodeContext): unknown {
  if (context.routeKey !== undefined) checkKey(frame, context, context.routeKey);
  return decodeGet(frame, context);
}

/** gets by GETK: the value and CAS token, once the reply is shown to name the key asked for. */
export function decodeKeyedGets(frame: ResponseFrame, context: DecodeContext): CasValue | undefined {
  if (context.routeKey !== undefined) checkKey(frame, context, context.routeKey);
  return decodeGets(frame, context);
}

/**
 * getkq in a multi-get: the value, after checking that the reply names the key asked for, a last
 * line of defence against a reply reaching the wrong request (a mismatch destroys the connection).
 */
export function decodeKeyedGet(frame: ResponseFrame, context: DecodeContext, wireKey: string): unknown {
  checkKey(frame, context, wireKey);
  return decodeGet(frame, context);
}

function checkKey(frame: ResponseFrame, context: DecodeContext, wireKey: string): void {
  if (frame.status === Status.noError && !keyMatches(frame, wireKey)) {
    const key = responseKey(frame).toString('utf8');
    throw new ProtocolError(`reply for key "${key}" arrived for key "${wireKey}"`, context);
  }
}

/** Compares the reply's key bytes with the key asked for, without decoding them (ASCII fast path). */
function keyMatches(frame: ResponseFrame, wireKey: string): boolean {
  const { buffer, keyLength } = frame;
  const start = frame.offset + HEADER_LENGTH + frame.extrasLength;
  if (keyLength !== wireKey.length) return responseKey(frame).toString('utf8') === wireKey;
  for (let i = 0; i < keyLength; i++) {
    const code = wireKey.charCodeAt(i);
    if (code >= 0x80) return responseKey(frame).toString('utf8') === wireKey;
    if (buffer[start + i] !== code) return false;
  }
  return true;
}

/** Writes, touch, delete: true when done; false when a condition refused it (exists, not stored, not found). */
export function decodeWrite(frame: ResponseFrame, context: { server: string; operation: string }): boolean {
  switch (frame.status) {
    case Status.noError:
      return true;
    case Status.keyExists:
    case Status.itemNotStored:
    case Status.keyNotFound:
      return false;
    default:
      throw serverError(frame, context);
  }
}

/**
 * incr, decr: the new value, or undefined when the key is missing and no initial value was given.
 * A successful reply without an 8-byte value is a {@link ProtocolError}, never a miss.
 */
export function decodeCounter(
  frame: ResponseFrame,
  context: { server: string; operation: string },
): bigint | undefined {
  if (frame.status === Status.keyNotFound) return undefined;
  if (frame.status !== Status.noError) throw serverError(frame, context);
  const counter = responseCounter(frame);
  // A success without an 8-byte body is no counter: the replies cannot be trusted to be in step.
  if (counter === undefined) throw new ProtocolError('the counter reply does not hold an 8-byte value', context);
  return counter;
}

/** version: the server's version string. */
export function decodeVersion(frame: ResponseFrame, context: { server: string; operation: string }): string {
  if (frame.status !== Status.noError) throw serverError(frame, context);
  return responseText(frame);
}

/** flush, noop: true once the server has done it. */
export function decodeDone(frame: ResponseFrame, context: { server: string; operation: string }): true {
  if (frame.status !== Status.noError) throw serverError(frame, context);
  return true;
}

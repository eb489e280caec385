import { ServerError } from '../errors.ts';
import {
  type ResponseFrame,
  responseFlags,
  responseText,
  responseValue,
  Status,
  statusName,
} from '../protocol/index.ts';
import type { ValueCodec } from '../values/value-codec.ts';
import type { OperationExchange } from './operation-exchange.ts';

/** An error status the operation does not treat as an answer: a typed error naming server and operation. */
export function serverError(frame: ResponseFrame, exchange: { server: string; operation: string }): ServerError {
  const detail = frame.bodyLength > frame.extrasLength + frame.keyLength ? `: ${responseText(frame)}` : '';
  return new ServerError(frame.status, `memcached replied ${statusName(frame.status)}${detail}`, {
    server: exchange.server,
    operation: exchange.operation,
  });
}

/** get: the value, or undefined on a miss. */
export function decodeGet(frame: ResponseFrame, exchange: OperationExchange<unknown>): unknown {
  if (frame.status === Status.keyNotFound) return undefined;
  if (frame.status !== Status.noError) throw serverError(frame, exchange);
  return (exchange.context as ValueCodec).decode(responseValue(frame), responseFlags(frame));
}

/** Writes: true when stored; false when a condition refused it (exists, not stored, not found). */
export function decodeWrite(frame: ResponseFrame, exchange: OperationExchange<boolean>): boolean {
  switch (frame.status) {
    case Status.noError:
      return true;
    case Status.keyExists:
    case Status.itemNotStored:
    case Status.keyNotFound:
      return false;
    default:
      throw serverError(frame, exchange);
  }
}

/** version: the server's version string. */
export function decodeVersion(frame: ResponseFrame, exchange: OperationExchange<string>): string {
  if (frame.status !== Status.noError) throw serverError(frame, exchange);
  return responseText(frame);
}

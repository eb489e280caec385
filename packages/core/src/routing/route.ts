import type { OperationSpec } from '../commands/operation.ts';
import {
  AuthError,
  ConnectionError,
  NoServerAvailableError,
  OverloadedError,
  ProtocolError,
  TimeoutError,
} from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import type { Pool } from './pool.ts';
import type { RoutedCall, RouteKind } from './routed-call.ts';

export type { RoutedCall, RouteKind } from './routed-call.ts';

/** A compiled route: where a request goes, and what its answer is. */
export interface Route {
  run<T>(call: RoutedCall<T>): Promise<T>;
  /** Every pool a request through this route may reach: a delete or a flush must reach them all. */
  readonly pools: readonly Pool[];
  /** Requests queued where this route would send `wireKey` now; undefined when it cannot tell (a composite route). */
  backlog?(wireKey: string): number | undefined;
}

/** The kind of a keyed request, from its op and whether its operation reads. */
export function routeKindOf(spec: OperationSpec<unknown>, op: Op): RouteKind {
  if (op === Op.leaseGet) return 'lease';
  if (op === Op.delete || op === Op.invalidate) return 'delete';
  return spec.read === true ? 'read' : 'write';
}

/** A read's answer that is a miss: nothing found. */
export function isMiss(call: RoutedCall<unknown>, result: unknown): boolean {
  return call.kind !== 'write' && call.kind !== 'delete' && result === undefined;
}

/**
 * Whether a failure is the server's, so another pool may answer: it is down, refused the
 * connection or the login, timed out, is overloaded or garbled its reply. A bad argument, a
 * refusal by memcached (`SERVER_ERROR`), an abort or a closed client fail the same anywhere.
 */
export function failsOver(error: unknown): boolean {
  return (
    error instanceof NoServerAvailableError ||
    error instanceof ConnectionError ||
    error instanceof TimeoutError ||
    error instanceof OverloadedError ||
    error instanceof ProtocolError ||
    error instanceof AuthError
  );
}

/** A call with another request (a clamped TTL, a write-back), the rest unchanged. */
export function withRequest<T, U = T>(call: RoutedCall<T>, request: Command, spec?: OperationSpec<U>): RoutedCall<U> {
  return { ...(call as unknown as RoutedCall<U>), request, spec: spec ?? (call.spec as unknown as OperationSpec<U>) };
}

/** A promise that never rejects unhandled: for requests whose outcome nobody awaits. */
export function settleQuietly(promise: Promise<unknown>): void {
  promise.catch(() => undefined);
}

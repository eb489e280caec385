import type { DalliError } from '../errors.ts';
import type { Exchange } from '../transport/exchange.ts';

/** A request the dispatcher may send again after its connection failed. */
export interface Retriable extends Exchange {
  /** Times it has been sent. */
  attempts: number;
  /** Repeating it cannot change the outcome (reads), so it may be resent even after it was written. */
  readonly idempotent: boolean;
  /** The server it went to last; rerouting changes it. */
  server: string;
  /** The wire key it is routed by; undefined when it is meant for one server (stats, version). */
  readonly routeKey: string | undefined;
  /** True once it has a result (or was aborted): a pending resend is dropped. */
  readonly settled: boolean;
  /** Ends it with an error, as its last attempt's failure. */
  fail(error: unknown): void;
}

/** Decides whether a failed request is tried again, and does it. */
export interface Retrier {
  /** Takes the request over (to resend it later) and returns true, or returns false to let it fail. */
  retry(exchange: Retriable, error: DalliError, sent: boolean): boolean;
}

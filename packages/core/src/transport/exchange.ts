import type { DalliError } from '../errors.ts';
import type { Request, ResponseFrame } from '../protocol/index.ts';

/**
 * One request's trip through a connection: what to send, and how to take what comes back. The
 * client implements it per operation; the connection only routes frames to it by opaque.
 */
export interface Exchange {
  readonly request: Request;
  /** The client operation this request serves ("get", "setMulti"), for error messages. */
  readonly operation: string;
  /** Milliseconds this request may wait for its reply; the connection's default when undefined. */
  readonly timeout: number | undefined;
  /** Assigned by the connection when the request is encoded. */
  opaque: number;
  /** Assigned by the connection: `performance.now()` time after which the reply is overdue. */
  deadline: number;
  /**
   * Takes one reply frame. Returns true when the exchange is complete; a STAT request returns
   * false until the empty frame that ends its series.
   */
  onResponse(frame: ResponseFrame): boolean;
  /** A quiet request that a later reply passed over: memcached's silent success (or miss). */
  onSilence(): void;
  /** The connection failed; no reply will come. Called at most once, and never after completion. */
  onFailure(error: DalliError): void;
}

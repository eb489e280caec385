import type { DalliError } from '../errors.ts';
import type { Command } from '../protocol/command.ts';
import type { Reply } from '../protocol/reply.ts';

/**
 * One request's trip through a connection: what to send, and how to take what comes back. The
 * client implements it per operation; the connection only routes replies to it.
 */
export interface Exchange {
  readonly request: Command;
  /** The client operation this request serves ("get", "setMulti"), for error messages. */
  readonly operation: string;
  /**
   * False for a request that changes data (a write): one that timed out on the wire is reported
   * through `onUnsettledWrites`. Undefined for the connection's own frames.
   */
  readonly idempotent?: boolean;
  /** True once its caller has a result (or gave up): a held request is then not sent at all. */
  readonly settled?: boolean;
  /**
   * Sent only once nothing else is in flight on the connection, and nothing after it until it is
   * answered: a proxy that does not know the command hangs up on it (twemproxy on `stats`), and
   * then it alone fails, with an `UnsupportedCommandError`, and the server is not counted as failing.
   */
  readonly alone?: boolean;
  /** Milliseconds this request may wait for its reply; the connection's default when undefined. */
  readonly timeout: number | undefined;
  /** Assigned by the connection when the request is encoded. */
  opaque: number;
  /** Assigned by the connection: `performance.now()` time after which the reply is overdue. */
  deadline: number;
  /**
   * Takes one reply (statistics come as several, the last one `final`). Throwing a
   * `ProtocolError` says the reply cannot belong to this request: the connection is then destroyed.
   */
  onResponse(reply: Reply): void;
  /**
   * One value of the reply was over the size limit and skipped (`reply` names it); when absent,
   * the whole request fails with `error`. For a request that asked for several keys at once.
   */
  onOversized?(reply: Reply, error: DalliError): void;
  /** A quiet request that a later reply passed over: memcached's silent success (or miss). */
  onSilence(): void;
  /**
   * No reply will come. `sent` is false when the request certainly never reached the server (the
   * connection failed before it was written), so even a write may safely be tried again.
   */
  onFailure(error: DalliError, sent: boolean): void;
}

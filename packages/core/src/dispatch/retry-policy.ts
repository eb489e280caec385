import type { Cluster } from '../cluster/cluster.ts';
import type { Server } from '../cluster/server.ts';
import {
  ClosedError,
  ConnectionError,
  type DalliError,
  ProtocolError,
  TimeoutError,
  UnsupportedCommandError,
} from '../errors.ts';
import type { Retriable, Retrier } from './retriable.ts';
import { RetryQueue } from './retry-queue.ts';

/** A request waiting out the pause before its retry, with the failure that caused it. */
interface PendingRetry {
  readonly exchange: Retriable;
  readonly error: DalliError;
}

/** Sends a request to a server, counting the attempt. */
export function sendCounted(server: Server, exchange: Retriable): void {
  exchange.attempts++;
  server.send(exchange);
}

/**
 * Whether a failed request goes again, and where. A request whose connection failed before it was
 * written is resent whatever it is; once written, only idempotent ones (reads) are. Each is tried
 * up to `maxAttempts` times on its server, plus once on a failover server if its own went down
 * meanwhile, after a pause of `delayMs`.
 */
export class RetryPolicy implements Retrier {
  readonly #cluster: Cluster;
  readonly #maxAttempts: number;
  readonly #queue: RetryQueue<PendingRetry>;
  #closed = false;

  constructor(cluster: Cluster, maxAttempts: number, delayMs: number) {
    this.#cluster = cluster;
    this.#maxAttempts = maxAttempts;
    this.#queue = new RetryQueue(delayMs, (pending) => this.#resend(pending.exchange, pending.error));
  }

  /** Called by a request whose connection failed: schedules a resend and returns true, or returns false. */
  retry(exchange: Retriable, error: DalliError, sent: boolean): boolean {
    if (this.#closed) return false;
    if (!sent && error.cause instanceof UnsupportedCommandError) {
      // Never written, on a connection a proxy closed over another request's command: not this
      // request's failure, so it goes again at once on a new connection and costs no attempt.
      exchange.attempts--;
      this.#resend(exchange, error);
      return true;
    }
    if (!(error instanceof ConnectionError || error instanceof TimeoutError || error instanceof ProtocolError))
      return false;
    if (sent && !exchange.idempotent) return false;
    if (exchange.attempts >= this.#maxAttempts && !this.#wouldFailOver(exchange)) return false;
    this.#queue.add({ exchange, error });
    return true;
  }

  /** No more retries: the requests waiting for one fail with a {@link ClosedError}. */
  close(): void {
    this.#closed = true;
    this.#queue.clear(({ exchange }) =>
      exchange.fail(new ClosedError('the client closed before a retry', { operation: exchange.operation })),
    );
  }

  /** After its last attempt on its own server, a request gets one more on a failover server. */
  #wouldFailOver(exchange: Retriable): boolean {
    if (exchange.routeKey === undefined || exchange.attempts > this.#maxAttempts) return false;
    const server = this.#cluster.routeIfAny(exchange.routeKey);
    return server !== undefined && server.name !== exchange.server;
  }

  /**
   * Sends a request again after its pause. If its server went down meanwhile and no other can
   * take it, it fails with its own last failure (a timeout, a reset), the real cause, rather than
   * with "no server available".
   */
  #resend(exchange: Retriable, lastError: DalliError): void {
    if (exchange.settled) return;
    const server =
      exchange.routeKey === undefined
        ? this.#cluster.servers.find((candidate) => candidate.name === exchange.server && candidate.available)
        : this.#cluster.routeIfAny(exchange.routeKey);
    if (server === undefined) {
      exchange.fail(lastError);
      return;
    }
    exchange.server = server.name;
    try {
      // Admitted once, it is not new load: a batch's keys must not be refused one by one on retry.
      exchange.attempts++;
      server.send(exchange, false);
    } catch (error) {
      exchange.fail(error);
    }
  }
}

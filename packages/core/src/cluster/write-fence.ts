import { type DalliError, TimeoutError } from '../errors.ts';
import type { Exchange } from '../transport/exchange.ts';

/**
 * Keys whose write timed out while its bytes may still sit, unread, in a stalled server's socket
 * buffer. memcached serves each connection on its own thread, so if a later write of the same key
 * went out on a new connection, the two could land in either order once the server resumes: a
 * timed-out `set` could overwrite an acknowledged `delete`. While a key is fenced, its writes wait
 * (within their own timeout) until the old connection's outcome is known. Reads are not held: a
 * read after a timed-out write may see either value.
 *
 * The exact guarantee: a later write of the key is sent only once the connection that carried the
 * timed-out write (1) has read the replies to everything written on it, or (2) was closed, or (3)
 * was kept 60 s (RETIREMENT_MAX_MS), or the later write fails unsent. Only (1) proves the old
 * write can no longer land. (2) proves it when memcached itself closed the socket (the bytes it
 * had not read die with it), not when a middlebox (a proxy, a NAT, a load balancer) closed our
 * side while still holding the write towards the server: it may deliver it later, after the later
 * write, and nothing on the client's side can order the two (test/fault/write-fence.test.ts pins
 * it). Waiting for a fresh connection's round trip after the close would not help: the middlebox
 * may hold the write for any time. Where that matters, make the write itself conditional, as the
 * session store does (writes with the CAS of the version they replace; a delete leaves a tombstone).
 */
export class WriteFence {
  /** For each fenced key, how many old connections still hold one of its writes. */
  readonly #held = new Map<string, number>();
  /** Writes waiting for their key, in the order they were issued. */
  readonly #waiting = new Map<string, Waiting[]>();

  /** Fences `keys` until `settled` resolves. */
  hold(keys: readonly string[], settled: Promise<void>): void {
    for (const key of keys) this.#held.set(key, (this.#held.get(key) ?? 0) + 1);
    void settled.then(() => {
      for (const key of keys) this.#release(key);
    });
  }

  /** True when `exchange` is a write whose key is fenced: hand it to {@link defer} instead of sending it. */
  holds(exchange: Exchange): boolean {
    const key = exchange.request.key;
    return this.#held.size > 0 && exchange.idempotent === false && key !== undefined && this.#held.has(key);
  }

  /**
   * Sends `exchange` with `send` once its key is released, in issue order; or fails it with a
   * TimeoutError if that takes longer than `timeout` milliseconds (its outcome is then simply
   * "not written", and the caller learns the earlier write's fate is still unknown).
   */
  defer(exchange: Exchange, server: string, timeout: number, send: () => void): void {
    const key = exchange.request.key as string;
    const queue = this.#waiting.get(key) ?? [];
    this.#waiting.set(key, queue);
    const waiting: Waiting = {
      exchange,
      send,
      timer: setTimeout(() => {
        queue.splice(queue.indexOf(waiting), 1);
        const message = `an earlier write of this key timed out and its outcome is still unknown after ${timeout} ms`;
        // Reported as sent: resending would only wait at the same fence again.
        exchange.onFailure(new TimeoutError(message, { server, operation: exchange.operation }), true);
      }, timeout),
    };
    queue.push(waiting);
  }

  /** Fails every waiting write with `error` (the client is closing): none is sent. */
  clear(error: (exchange: Exchange) => DalliError): void {
    for (const queue of this.#waiting.values()) {
      for (const { exchange, timer } of queue) {
        clearTimeout(timer);
        exchange.onFailure(error(exchange), true);
      }
    }
    this.#waiting.clear();
  }

  #release(key: string): void {
    const count = (this.#held.get(key) ?? 1) - 1;
    if (count > 0) {
      this.#held.set(key, count);
      return;
    }
    this.#held.delete(key);
    const queue = this.#waiting.get(key);
    this.#waiting.delete(key);
    for (const { exchange, send, timer } of queue ?? []) {
      clearTimeout(timer);
      if (exchange.settled !== true) send();
    }
  }
}

interface Waiting {
  readonly exchange: Exchange;
  readonly send: () => void;
  readonly timer: NodeJS.Timeout;
}

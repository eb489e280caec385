import type { ConnectionOptions as TlsOptions } from 'node:tls';
import {
  authFailureChannel,
  connectionCloseChannel,
  connectionConnectChannel,
  publish,
  serverDownChannel,
  serverOverloadedChannel,
  serverUpChannel,
} from '../diagnostics/diagnostics.ts';
import { AuthError, ClosedError, type DalliError, OverloadedError, ProtocolError } from '../errors.ts';
import type { ResolvedEjectOptions } from '../options/health-options.ts';
import type { Handshake, WireProtocol } from '../protocol/wire-protocol.ts';
import { Connection } from '../transport/connection.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { SocketAddress } from '../transport/open-socket.ts';
import { ReplyWindow, slowRepliesError } from './reply-window.ts';
import { type DownReason, type HealthPolicy, ServerHealth } from './server-health.ts';
import { downMessage, healthState, type ServerState } from './server-state.ts';
import { WriteFence } from './write-fence.ts';

export type { ServerState } from './server-state.ts';

export interface ServerOptions {
  /** The client this server belongs to: diagnostics messages name it. */
  readonly client: object;
  /** The name as configured (`host:port` or a socket path): what errors and the ring use. */
  readonly name: string;
  readonly address: SocketAddress;
  readonly weight: number;
  /** The dialect its connections speak. */
  readonly protocol: WireProtocol;
  readonly tls?: TlsOptions | undefined;
  /** Milliseconds for connect and for each reply, unless a request sets its own. */
  readonly timeout: number;
  readonly maxBodyLength: number;
  readonly handshake?: Handshake | undefined;
  /** When it is marked down and probed (`socketMaxFailures`, `downRetryDelay`, flap memory): one object a client's servers share. */
  readonly healthPolicy: HealthPolicy;
  /** When a server that still answers is ejected; undefined: never. */
  readonly eject: ResolvedEjectOptions | undefined;
  /** Most requests its connection holds, sent plus queued; past it, requests fail with OverloadedError. */
  readonly maxQueued: number;
  /** Milliseconds a connection may sit idle before it closes (the next request reconnects); 0: never. */
  readonly idleTimeout: number;
}

/** After a refused login, new connections wait this long, doubling on each refusal up to the maximum. */
const AUTH_RETRY_FIRST_MS = 1_000;
const AUTH_RETRY_MAX_MS = 30_000;

/**
 * One memcached server: its current connection and its health, as Dalli models it. A connection
 * opens on first use and is replaced on the next request after it dies, so a restarted server is
 * picked up with nothing stale reused. A broken connection (refused, reset, timed out, garbled) is
 * a failure; a reply resets the count. After `maxFailures` in a row the server is down: skipped
 * for 1 s, then probed, each failed probe doubling the wait up to `downRetryDelay`. One that goes
 * down again soon after coming back is flapping, held down longer each time; one too slow or
 * failing too many requests may be ejected (`ServerHealth`, `ReplyWindow`). A refused login is no
 * failure: new connections back off (1 s, doubling to 30 s), requests failing fast with it.
 */
export class Server {
  readonly name: string;
  readonly weight: number;
  readonly #options: ServerOptions;
  #connection: Connection | undefined;
  readonly #health: ServerHealth;
  /** Recent replies and failures, when ejection is on. */
  readonly #window: ReplyWindow | undefined;
  #protocolErrors = 0;
  /** The failure that marked the server down, while it is down: what a request refused meanwhile is told. */
  #downCause: DalliError | undefined;
  /**
   * Keys whose write timed out with its outcome still unknown: their next writes wait. Made at the
   * first such timeout, as is `#retired`: a fleet of idle servers should not carry three empty
   * collections each (≈ 640 heap bytes per server, measured by bench/src/fleet-limits.mjs).
   */
  #fence: WriteFence | undefined;
  /** Timed-out connections kept open to learn their writes' outcome, and an ejected server's last; closed with the server. */
  #retired: Set<Connection> | undefined;
  /** The last refused login, and until when requests fail with it instead of reconnecting. */
  #authRefusal: { error: AuthError; until: number; delay: number } | undefined;
  /** Refusing requests at `maxQueued`: the episode's first refusal was published. */
  #overloaded = false;

  constructor(options: ServerOptions) {
    this.name = options.name;
    this.weight = options.weight;
    this.#options = options;
    this.#health = new ServerHealth(options.healthPolicy);
    this.#window = options.eject === undefined ? undefined : new ReplyWindow(options.eject);
  }

  /**
   * Whether requests may go here now: up, or down for its probe delay already (the next connection
   * is the probe, shared by requests issued meanwhile). A broken probe keeps it down for twice the
   * delay (at most `downRetryDelay`, or a flapping server's hold); its first reply brings it up.
   */
  get available(): boolean {
    // Asked for every request: an up server costs no clock read.
    return this.#health.up || this.#health.available(Date.now());
  }

  /** While down, the failure that marked it down. */
  get downCause(): DalliError | undefined {
    return this.#health.up ? undefined : this.#downCause;
  }

  get state(): ServerState {
    return {
      name: this.name,
      weight: this.weight,
      ...healthState(this.#health, Date.now()),
      connected: this.#connection?.ready === true,
      inFlight: this.queued,
      protocolErrors: this.#protocolErrors,
    };
  }

  /** Sends a request; refused past `maxQueued` unless `capped` is false (a retry of one already admitted). */
  send(exchange: Exchange, capped = true): void {
    this.#send(exchange, capped);
  }

  /**
   * Sends one call's share of a multi-key operation, admitted or refused as a whole by the queue
   * depth before it: `maxQueued` bounds what piles up behind a slow server, not how many keys one
   * call may ask of a healthy one (a 10,000-key getMulti is 10,000 requests in binary and meta).
   */
  sendAll(exchanges: readonly Exchange[]): void {
    const queued = this.#live().pending;
    const admitted = queued < this.#options.maxQueued;
    for (const exchange of exchanges) {
      if (admitted) this.#send(exchange, false);
      else this.#refuseOverloaded(exchange, queued);
    }
  }

  #send(exchange: Exchange, capped: boolean): void {
    const refusal = this.#authRefusal;
    if (refusal !== undefined && Date.now() < refusal.until) {
      // Wrong credentials will not get better by retrying at once: fail fast, reconnect later.
      const context = { server: this.name, operation: exchange.operation };
      exchange.onFailure(new AuthError(refusal.error.detail, context), false);
      return;
    }
    const fence = this.#fence;
    if (fence?.holds(exchange)) {
      const timeout = exchange.timeout ?? this.#options.timeout;
      fence.defer(exchange, this.name, timeout, () => this.#send(exchange, capped));
      return;
    }
    const connection = this.#live();
    if (capped && connection.pending >= this.#options.maxQueued) {
      this.#refuseOverloaded(exchange, connection.pending);
      return;
    }
    this.#overloaded = false;
    connection.send(exchange);
  }

  /** At the cap: fail at once, unsent (a stalled server must not grow the queue without bound). */
  #refuseOverloaded(exchange: Exchange, queued: number): void {
    const message = `${queued} requests are already queued on the connection (maxQueued ${this.#options.maxQueued})`;
    exchange.onFailure(new OverloadedError(message, { server: this.name, operation: exchange.operation }), false);
    if (this.#overloaded) return;
    this.#overloaded = true;
    publish(serverOverloadedChannel, () => ({ client: this.#options.client, server: this.name, queued }));
  }

  /** Requests sent and not yet answered, plus those queued behind them (`inFlight` in `state`). */
  get queued(): number {
    return this.#connection?.pending ?? 0;
  }

  /** The live connection, if one is open (for diagnostics and tests). */
  get connection(): Connection | undefined {
    return this.#connection?.usable ? this.#connection : undefined;
  }

  async close(): Promise<void> {
    this.#fence?.clear(
      (exchange) =>
        new ClosedError('the client closed while this write waited for an earlier one of its key', {
          server: this.name,
          operation: exchange.operation,
        }),
    );
    const connection = this.#connection;
    this.#connection = undefined;
    await Promise.all([connection?.close(), ...[...(this.#retired ?? [])].map((retired) => retired.close())]);
  }

  #live(): Connection {
    let connection = this.#connection;
    if (connection === undefined || !connection.usable) {
      const options = this.#options;
      connection = new Connection({
        server: this.name,
        protocol: options.protocol,
        address: options.address,
        tls: options.tls,
        timeout: options.timeout,
        maxBodyLength: options.maxBodyLength,
        handshake: options.handshake,
        idleTimeout: options.idleTimeout,
        // Bound here, per connection, not as arrow fields: an idle server never pays for them.
        onReply: () => this.#onReply(connection as Connection),
        onAnswered: this.#window === undefined ? undefined : (ms) => this.#onAnswered(ms),
        onBroken: (error, requests) => this.#onBroken(error, requests),
        onAuthFailed: (error) => this.#onAuthFailed(error),
        onReady: () => this.#onReady(),
        onClose: (error) => this.#onClose(error),
        onUnsettledWrites: (keys, settled) => this.#onUnsettledWrites(connection as Connection, keys, settled),
      });
      this.#connection = connection;
    }
    return connection;
  }

  #onReply(connection: Connection): void {
    // An ejected server's old connection may still answer what it was sent: that is no probe.
    if (connection !== this.#connection) return;
    const downtime = this.#health.reply(Date.now());
    if (downtime === undefined) return;
    publish(serverUpChannel, () => ({ client: this.#options.client, server: this.name, downtime }));
  }

  #onAnswered(ms: number): void {
    const reason = (this.#window as ReplyWindow).reply(Date.now(), ms);
    if (reason !== undefined) this.#eject(reason, undefined);
  }

  /**
   * Marks a server that still answers down, as broken connections would: its connection closes
   * once its requests are answered, and the probe, when it is due, opens a new one.
   */
  #eject(reason: DownReason, cause: DalliError | undefined): void {
    if (!this.#health.eject(Date.now(), reason)) return;
    (this.#window as ReplyWindow).clear();
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined) {
      // Kept with the timed-out ones, so that closing the client waits for it too.
      this.#retired ??= new Set();
      const retired = this.#retired;
      retired.add(connection);
      void connection.close().then(() => retired.delete(connection));
    }
    this.#markedDown(cause ?? slowRepliesError(this.name, this.#options.eject));
  }

  #onUnsettledWrites(connection: Connection, keys: readonly string[], settled: Promise<void>): void {
    // Made at the first timed-out write: an idle configured server of a large fleet holds neither.
    this.#retired ??= new Set();
    this.#fence ??= new WriteFence();
    const retired = this.#retired;
    retired.add(connection);
    this.#fence.hold(keys, settled);
    void settled.then(() => retired.delete(connection));
  }

  #onReady(): void {
    // Only a completed login ends the back-off: the refusal itself is a reply, and counting it as
    // "the server answers" would reset the delay on every attempt.
    this.#authRefusal = undefined;
    publish(connectionConnectChannel, () => ({ client: this.#options.client, server: this.name }));
  }

  #onClose(error: DalliError | undefined): void {
    publish(connectionCloseChannel, () => ({ client: this.#options.client, server: this.name, error }));
  }

  #onAuthFailed(error: AuthError): void {
    const delay =
      this.#authRefusal === undefined ? AUTH_RETRY_FIRST_MS : Math.min(this.#authRefusal.delay * 2, AUTH_RETRY_MAX_MS);
    this.#authRefusal = { error, until: Date.now() + delay, delay };
    publish(authFailureChannel, () => ({ client: this.#options.client, server: this.name, error, retryDelay: delay }));
  }

  #onBroken(error: DalliError, requests: number): void {
    if (error instanceof ProtocolError) this.#protocolErrors++;
    const now = Date.now();
    if (this.#health.failure(now)) {
      this.#markedDown(error);
      return;
    }
    const reason = this.#window?.failed(now, requests);
    if (reason !== undefined) this.#eject(reason, error);
  }

  #markedDown(error: DalliError): void {
    this.#downCause = error;
    const now = Date.now();
    publish(serverDownChannel, () => downMessage(this.#options.client, this.name, error, this.#health, now));
  }
}

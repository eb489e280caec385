import type { ServerDownMessage } from '../diagnostics/diagnostics.ts';
import type { DalliError } from '../errors.ts';
import type { DownReason, ServerHealth } from './server-health.ts';

/** A server's health, for diagnostics. */
export interface ServerState {
  readonly name: string;
  readonly weight: number;
  readonly up: boolean;
  /** Broken connections since the last reply. */
  readonly failures: number;
  /** When the server was marked down (ms since the epoch), while it is down. */
  readonly downSince: number | undefined;
  /**
   * While down: milliseconds from the last failed attempt to the next probe (1,000 doubling up to
   * downRetryDelay; a flapping server's hold-down instead).
   */
  readonly retryDelay: number | undefined;
  /** While down: when requests may go to it again (ms since the epoch). */
  readonly nextProbeAt: number | undefined;
  /** While down: `failures` (broken connections), or an ejection for `latency` or `errors`. */
  readonly downReason: DownReason | undefined;
  /** Times in a row it went down within `health.flapTime` of coming back; 0 once it stays up that long. */
  readonly flaps: number;
  readonly connected: boolean;
  /** Requests sent and not yet answered, plus those queued behind them: the queue depth (at most `maxQueued`). */
  readonly inFlight: number;
  /** Connections closed because the server sent bytes that were not valid replies. */
  readonly protocolErrors: number;
}

/** The fields of {@link ServerState} that `health` knows, at `now`. */
export function healthState(
  health: ServerHealth,
  now: number,
): Omit<ServerState, 'name' | 'weight' | 'connected' | 'inFlight' | 'protocolErrors'> {
  return {
    up: health.up,
    failures: health.failures,
    downSince: health.downSince,
    retryDelay: health.retryDelay,
    nextProbeAt: health.nextProbeAt,
    downReason: health.reason,
    flaps: health.flaps(now),
  };
}

/** What `dalli:server:down` says of a server `health` has just marked down by `error`. */
export function downMessage(
  client: object,
  server: string,
  error: DalliError,
  health: ServerHealth,
  now: number,
): ServerDownMessage {
  return {
    client,
    server,
    error,
    failures: health.failures,
    reason: health.reason as DownReason,
    retryDelay: health.retryDelay as number,
    flaps: health.flaps(now),
  };
}

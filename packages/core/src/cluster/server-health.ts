import type { ResolvedHealthOptions } from '../options/health-options.ts';

/** Why a server is down: broken connections, or an ejection for slow replies or failing requests. */
export type DownReason = 'failures' | 'latency' | 'errors';

/** The rules one server's health follows; every time in milliseconds. */
export interface HealthPolicy {
  /** Consecutive broken connections before the server is marked down. */
  readonly maxFailures: number;
  /** Longest wait between probes of a down server that is not flapping (the first comes after 1 s). */
  readonly downRetryDelay: number;
  /** A server marked down within this long of coming back up is flapping; 0: no flap memory. */
  readonly flapTime: number;
  /** A flapping server is held down `downRetryDelay × flapBackoffRamp^flaps` (1: `downRetryDelay` each time). */
  readonly flapBackoffRamp: number;
  /** Longest hold-down of a flapping server. */
  readonly flapBackoffMax: number;
}

/** The rules of the client's servers: its `socketMaxFailures`, `downRetryDelay` (ms) and `health`. */
export function healthPolicyOf(
  maxFailures: number,
  downRetryDelay: number,
  health: ResolvedHealthOptions,
): HealthPolicy {
  const { flapTime, flapBackoffRamp, flapBackoffMax } = health;
  return { maxFailures, downRetryDelay, flapTime, flapBackoffRamp, flapBackoffMax };
}

/** A down server is first probed after this long, then after twice as long, up to `downRetryDelay`. */
const FIRST_PROBE_MS = 1_000;

/**
 * One server's up/down state, as plain arithmetic on the times it is given: no clock, no timer, no
 * socket, so every rule is testable with made-up times. Dalli's model, plus the flap memory of
 * memcached's proxy (`backend_flap_time`, `backend_flap_backoff_ramp`, `backend_flap_backoff_max`):
 *
 * - `maxFailures` broken connections in a row mark the server down. It is probed 1 s later (the
 *   next request goes there); each failed probe doubles the wait, up to `downRetryDelay`; the
 *   first reply brings it back up.
 * - A server marked down again within `flapTime` of coming back is flapping: instead of the 1-s
 *   probe it is held down for `downRetryDelay × ramp^flaps` (at most `flapBackoffMax`), longer
 *   at each flap in a row, and a failed probe waits that long again. One that stays up for
 *   `flapTime` is forgiven: its next outage starts from the 1-s probe again.
 *
 * The proxy's formula (proxy_network.c, `_backend_reschedule`): `retry × ramp^flap_count`, capped,
 * where `retry` is its steady wait between tries of a dead backend, as `downRetryDelay` is here (so
 * `downRetryDelay: 0`, "probe at once", holds nothing). Two differences: the proxy ramps only past
 * `backend_failure_limit` flaps, and counts a failure within `flapTime` of the last connect or
 * failure as a flap (`_backend_flap_check`); here every flap counts, from the first reply back.
 */
export class ServerHealth {
  readonly #policy: HealthPolicy;
  #failures = 0;
  #downSince: number | undefined;
  #reason: DownReason | undefined;
  /** When the last attempt failed (the mark-down, or a failed probe). */
  #lastDownAt = 0;
  #probeDelay = 0;
  /** The wait a failed probe may double up to: `downRetryDelay`, or the hold-down of a flapping server. */
  #longestDelay = 0;
  /** When the server last came back up after being down. */
  #upSince: number | undefined;
  #flaps = 0;

  constructor(policy: HealthPolicy) {
    this.#policy = policy;
  }

  get up(): boolean {
    return this.#downSince === undefined;
  }

  /** Broken connections since the last reply. */
  get failures(): number {
    return this.#failures;
  }

  /** When it was marked down, while it is down. */
  get downSince(): number | undefined {
    return this.#downSince;
  }

  /** Why it is down, while it is down. */
  get reason(): DownReason | undefined {
    return this.#reason;
  }

  /** While down: the wait from the last failed attempt to the next probe. */
  get retryDelay(): number | undefined {
    return this.#downSince === undefined ? undefined : this.#probeDelay;
  }

  /** While down: when requests may go to it again (the probe). */
  get nextProbeAt(): number | undefined {
    return this.#downSince === undefined ? undefined : this.#lastDownAt + this.#probeDelay;
  }

  /** Flaps in a row as of `now`: 0 once the server has stayed up for `flapTime`. */
  flaps(now: number): number {
    return this.#forgiven(now) ? 0 : this.#flaps;
  }

  /** Whether requests may go to it at `now`: up, or down for its probe delay already. */
  available(now: number): boolean {
    return this.#downSince === undefined || now - this.#lastDownAt >= this.#probeDelay;
  }

  /**
   * A connection broke at `now`. Returns true when this marked the server down (it was up); a
   * failed probe keeps it down and lengthens the wait.
   */
  failure(now: number): boolean {
    this.#failures++;
    if (this.#downSince !== undefined) {
      this.#lastDownAt = now;
      this.#probeDelay = Math.min(this.#probeDelay * 2, this.#longestDelay);
      return false;
    }
    if (this.#failures < this.#policy.maxFailures) return false;
    this.#markDown(now, 'failures');
    return true;
  }

  /** Ejects an up server at `now` (slow replies or failing requests). Returns true if it was up. */
  eject(now: number, reason: DownReason): boolean {
    if (this.#downSince !== undefined) return false;
    this.#markDown(now, reason);
    return true;
  }

  /** It answered at `now`. Returns how long it was down if this brought it back up. */
  reply(now: number): number | undefined {
    this.#failures = 0;
    const downSince = this.#downSince;
    if (downSince === undefined) return undefined;
    this.#downSince = undefined;
    this.#reason = undefined;
    this.#upSince = now;
    return now - downSince;
  }

  #markDown(now: number, reason: DownReason): void {
    const { flapTime, flapBackoffRamp, flapBackoffMax, downRetryDelay } = this.#policy;
    const flapped = flapTime > 0 && this.#upSince !== undefined && now - this.#upSince < flapTime;
    this.#flaps = flapped ? this.#flaps + 1 : 0;
    const firstProbe = Math.min(FIRST_PROBE_MS, downRetryDelay);
    const hold =
      this.#flaps === 0
        ? firstProbe
        : Math.max(firstProbe, Math.min(Math.round(downRetryDelay * flapBackoffRamp ** this.#flaps), flapBackoffMax));
    this.#probeDelay = hold;
    this.#longestDelay = Math.max(downRetryDelay, hold);
    this.#lastDownAt = now;
    this.#downSince = now;
    this.#reason = reason;
  }

  #forgiven(now: number): boolean {
    return this.#downSince === undefined && this.#upSince !== undefined && now - this.#upSince >= this.#policy.flapTime;
  }
}

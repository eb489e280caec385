import { InvalidArgumentError } from '../errors.ts';

/**
 * The `health` client option: how a server that keeps failing is kept out, beyond Dalli's
 * `socketMaxFailures` and `downRetryDelay`. Times in seconds; fractions are allowed.
 */
export interface HealthOptions {
  /**
   * Seconds a server must stay up after coming back before it is trusted again (memcached proxy's
   * `backend_flap_time`). One marked down sooner is flapping: instead of being probed after 1 s,
   * it is held down for `downRetryDelay × flapBackoffRamp^flaps` (the proxy's rule, with
   * `downRetryDelay` as its retry time), at most `flapBackoffMax`. 0: no flap memory (every
   * outage starts from the 1-s probe, as Dalli). Default 30 (the proxy's is 0, off: a client has
   * no operator watching its servers, so it remembers flaps unless told not to).
   */
  readonly flapTime?: number | undefined;
  /** Factor by which each flap in a row lengthens the hold-down (proxy's `backend_flap_backoff_ramp`), 1 or more. Default 1.5, the proxy's. */
  readonly flapBackoffRamp?: number | undefined;
  /** Longest hold-down of a flapping server, in seconds (proxy's `backend_flap_backoff_max`). Default 3600. */
  readonly flapBackoffMax?: number | undefined;
  /** Mark a server down for slow replies or failing requests, as if its connections broke. Default off. */
  readonly eject?: EjectOptions | undefined;
}

/**
 * When a server that still answers is ejected (marked down, then probed and flap-ramped like a
 * failing one). Give `latency`, `errorRate` or both.
 */
export interface EjectOptions {
  /** Seconds: a server whose replies are slower than this at `latencyPercentile` is ejected. Default: latency never ejects. */
  readonly latency?: number | undefined;
  /** The percentile (above 0, below 1) that `latency` bounds: 0.9 ejects when more than 10 % of replies are slower. Default 0.9. */
  readonly latencyPercentile?: number | undefined;
  /** Share (above 0, at most 1) of requests failing (timeouts, broken connections) that ejects. Default: errors never eject. */
  readonly errorRate?: number | undefined;
  /** Seconds of recent requests both shares are measured over. Default 10. */
  readonly window?: number | undefined;
  /** Fewest requests in the window before a server may be ejected. Default 20. */
  readonly minRequests?: number | undefined;
}

/** `health` with defaults filled in; every time in milliseconds. */
export interface ResolvedHealthOptions {
  readonly flapTime: number;
  readonly flapBackoffRamp: number;
  readonly flapBackoffMax: number;
  readonly eject: ResolvedEjectOptions | undefined;
}

export interface ResolvedEjectOptions {
  readonly latency: number | undefined;
  readonly latencyPercentile: number;
  readonly errorRate: number | undefined;
  readonly window: number;
  readonly minRequests: number;
}

export const DEFAULT_HEALTH: ResolvedHealthOptions = {
  flapTime: 30_000,
  flapBackoffRamp: 1.5,
  flapBackoffMax: 3_600_000,
  eject: undefined,
};

const NAMES = ['flapTime', 'flapBackoffRamp', 'flapBackoffMax', 'eject'];
const EJECT_NAMES = ['latency', 'latencyPercentile', 'errorRate', 'window', 'minRequests'];

/** Checks the option and fills in defaults (absent: the defaults). */
export function resolveHealthOptions(value: unknown): ResolvedHealthOptions {
  if (value === undefined) return DEFAULT_HEALTH;
  const given = fields(value, NAMES, '', '{ flapTime, flapBackoffRamp, flapBackoffMax, eject }');
  const { flapTime = 30, flapBackoffRamp = 1.5, flapBackoffMax = 3600, eject } = given;
  if (!seconds(flapTime)) fail('flapTime must be a finite number of seconds, 0 or more');
  if (typeof flapBackoffRamp !== 'number' || !Number.isFinite(flapBackoffRamp) || flapBackoffRamp < 1) {
    fail('flapBackoffRamp must be a finite number, 1 or more');
  }
  if (!seconds(flapBackoffMax)) fail('flapBackoffMax must be a finite number of seconds, 0 or more');
  return {
    flapTime: (flapTime as number) * 1000,
    flapBackoffRamp,
    flapBackoffMax: (flapBackoffMax as number) * 1000,
    eject: resolveEject(eject),
  };
}

function resolveEject(value: unknown): ResolvedEjectOptions | undefined {
  if (value === undefined) return undefined;
  const shape = '{ latency, latencyPercentile, errorRate, window, minRequests }';
  const given = fields(value, EJECT_NAMES, 'eject.', shape);
  const { latency, latencyPercentile = 0.9, errorRate, window = 10, minRequests = 20 } = given;
  if (latency === undefined && errorRate === undefined) fail('eject needs latency, errorRate or both');
  if (latency !== undefined && (!seconds(latency) || latency === 0)) {
    fail('eject.latency must be a finite number of seconds above 0');
  }
  if (typeof latencyPercentile !== 'number' || !(latencyPercentile > 0 && latencyPercentile < 1)) {
    fail('eject.latencyPercentile must be a number above 0 and below 1');
  }
  if (errorRate !== undefined && (typeof errorRate !== 'number' || !(errorRate > 0 && errorRate <= 1))) {
    fail('eject.errorRate must be a number above 0, at most 1');
  }
  if (!seconds(window) || window === 0) fail('eject.window must be a finite number of seconds above 0');
  if (!Number.isSafeInteger(minRequests) || (minRequests as number) < 1)
    fail('eject.minRequests must be a positive integer');
  return {
    latency: latency === undefined ? undefined : (latency as number) * 1000,
    latencyPercentile,
    errorRate: errorRate as number | undefined,
    window: (window as number) * 1000,
    minRequests: minRequests as number,
  };
}

function fields(value: unknown, names: readonly string[], prefix: string, shape: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null)
    fail(`${prefix === '' ? '' : `${prefix.slice(0, -1)} `}must be ${shape}`);
  const given = value as Record<string, unknown>;
  for (const name of Object.keys(given)) if (!names.includes(name)) fail(`has no option "${prefix}${name}"`);
  return given;
}

function seconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function fail(message: string): never {
  throw new InvalidArgumentError(`option "health" ${message}`);
}

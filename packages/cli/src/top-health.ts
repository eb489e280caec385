import type { ServerState } from '@dalli/core';

/**
 * What a client's health tracking says of a server, beyond whether `stats` answered: how many
 * times in a row it flapped (went down again soon after coming back), whether it was ejected for
 * slow replies or failing requests, and, while it is held down, how long until its next probe.
 */
export interface RowHealth {
  readonly flaps: number;
  readonly ejected: 'latency' | 'errors' | undefined;
  /** Milliseconds until requests may go to it again, while the client holds it down. */
  readonly nextProbeIn: number | undefined;
}

/** The health worth showing of `state` at `now` (ms since the epoch); undefined for a server that is simply up. */
export function rowHealth(state: ServerState | undefined, now: number): RowHealth | undefined {
  if (state === undefined || (state.up && state.flaps === 0)) return undefined;
  const ejected = state.downReason === 'latency' || state.downReason === 'errors' ? state.downReason : undefined;
  const nextProbeIn = state.nextProbeAt === undefined ? undefined : Math.max(0, state.nextProbeAt - now);
  return { flaps: state.flaps, ejected, nextProbeIn };
}

/** The health as words for `top`: "flapping (3 in a row), next probe in 36 s"; undefined when there is nothing to say. */
export function healthNote(health: RowHealth | undefined): string | undefined {
  if (health === undefined) return undefined;
  const parts: string[] = [];
  if (health.ejected !== undefined) {
    parts.push(`ejected for ${health.ejected === 'latency' ? 'slow replies' : 'failing requests'}`);
  }
  if (health.flaps > 0) parts.push(`flapping (${health.flaps} in a row)`);
  if (health.nextProbeIn !== undefined) parts.push(`next probe in ${(health.nextProbeIn / 1000).toFixed(1)} s`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

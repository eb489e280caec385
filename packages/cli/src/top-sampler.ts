import type { Client, ServerState } from '@dalli/core';
import { askEveryServer, type PerServer, type ServerClient } from './per-server.ts';
import type { RawStats } from './stats-figures.ts';
import { type RowHealth, rowHealth } from './top-health.ts';
import { ratesBetween, type ServerRates } from './top-rates.ts';

/**
 * A server's row in `top` and on the dashboard: its rates, or why it did not answer, and the
 * requests a client holds for it (in flight plus queued, what `maxQueued` caps) when the sample
 * ended: those of the watched client if the sampler has one, else the sampler's own. `health`
 * (flaps, ejection, next probe) comes from the same client, when it has something to say.
 */
export type ServerRow = { readonly name: string; readonly queued: number; readonly health?: RowHealth | undefined } & (
  | { readonly up: true; readonly rates: ServerRates }
  | { readonly up: false; readonly error: string }
);

/**
 * Samples `stats` from every server and turns each pair of samples into rates. Rates need two
 * samples, so a server's first answer is only a baseline: the first call returns just the servers
 * that are down.
 */
export class TopSampler {
  readonly #servers: readonly ServerClient[];
  readonly #previous = new Map<string, { stats: RawStats; at: number }>();
  readonly #watched: Client | undefined;

  /**
   * @param watched - a client whose queue depth per server the rows show (`top` embedded in an
   *   application); without it, the rows show the sampler's own clients' requests.
   */
  constructor(servers: readonly ServerClient[], watched?: Client) {
    this.#servers = servers;
    this.#watched = watched;
  }

  /** Whether the rows' `queued` is a watched client's: then `top` shows it as a column. */
  get watchesClient(): boolean {
    return this.#watched !== undefined;
  }

  /** Takes a sample; resolves rows for the servers that have a previous sample or are down. */
  async sample(): Promise<ServerRow[]> {
    const at = performance.now();
    const answers: PerServer<RawStats>[] = await askEveryServer(this.#servers, async (client) => {
      return Object.values(await client.stats())[0] as RawStats;
    });
    const states = this.#clientStates();
    const now = Date.now();
    const rows: ServerRow[] = [];
    for (const answer of answers) {
      const name = answer.name;
      const state = states.get(name);
      const held = { name, queued: state?.inFlight ?? 0, health: rowHealth(state, now) };
      if (!answer.ok) {
        this.#previous.delete(name);
        rows.push({ ...held, up: false, error: answer.error });
        continue;
      }
      const before = this.#previous.get(name);
      this.#previous.set(name, { stats: answer.value, at });
      if (before !== undefined) {
        const rates = ratesBetween(before.stats, answer.value, (at - before.at) / 1000);
        rows.push({ ...held, up: true, rates });
      }
    }
    return sortRows(rows);
  }

  /** Each server's state in a client: the watched client's, or each of the sampler's own clients'. */
  #clientStates(): Map<string, ServerState> {
    const states = this.#watched?.servers() ?? this.#servers.flatMap(({ client }) => client.servers());
    return new Map(states.map((state) => [state.name, state]));
  }
}

/** Down servers first (they are the news), then the busiest. */
export function sortRows(rows: readonly ServerRow[]): ServerRow[] {
  const busy = (row: ServerRow): number => (row.up ? row.rates.totalOpsPerSecond : Number.POSITIVE_INFINITY);
  return [...rows].sort((a, b) => busy(b) - busy(a) || a.name.localeCompare(b.name));
}

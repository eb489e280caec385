import type { Client, ServerState } from '@dalli/core';
import { AppQueueDepths } from './app-queue-depths.ts';
import { askEveryServer, type ServerClient } from './per-server.ts';
import type { RawStats } from './stats-figures.ts';
import { type RowHealth, rowHealth } from './top-health.ts';
import { ratesBetween, type ServerRates } from './top-rates.ts';

/**
 * A server's row in `top` and on the dashboard: its rates, or why it did not answer, and the
 * requests a client holds for it (in flight plus queued, what `maxQueued` caps) when the sample
 * ended: those of the watched client or application if the sampler has one, else the sampler's
 * own; undefined when the application's metrics could not be read. `health` (flaps, ejection,
 * next probe) comes from the watched or own client, when it has something to say.
 */
export type ServerRow = {
  readonly name: string;
  readonly queued: number | undefined;
  readonly health?: RowHealth | undefined;
} & ({ readonly up: true; readonly rates: ServerRates } | { readonly up: false; readonly error: string });

/**
 * Samples `stats` from every server and turns each pair of samples into rates. Rates need two
 * samples, so a server's first answer is only a baseline: the first call returns just the servers
 * that are down.
 */
export class TopSampler {
  readonly #servers: readonly ServerClient[];
  readonly #previous = new Map<string, { stats: RawStats; at: number }>();
  readonly #watched: Client | AppQueueDepths | undefined;
  #queueError: string | undefined;

  /**
   * @param watched - a client whose queue depth per server the rows show (`top` embedded in an
   *   application), or an application's metrics endpoint (`top --metrics-url`); without it, the
   *   rows show the sampler's own clients' requests.
   */
  constructor(servers: readonly ServerClient[], watched?: Client | AppQueueDepths) {
    this.#servers = servers;
    this.#watched = watched;
  }

  /** Whether the rows' `queued` is a watched client's or application's: then `top` shows it as a column. */
  get watchesClient(): boolean {
    return this.#watched !== undefined;
  }

  /** Why the last sample has no queue depths: the application's metrics endpoint did not answer with them. */
  get queueError(): string | undefined {
    return this.#queueError;
  }

  /** Takes a sample; resolves rows for the servers that have a previous sample or are down. */
  async sample(): Promise<ServerRow[]> {
    const at = performance.now();
    const watched = this.#watched;
    // An application's endpoint is read while the servers answer; a client's queues once they have.
    const fromApp = watched instanceof AppQueueDepths ? this.#appDepths(watched) : undefined;
    const answers = await askEveryServer(
      this.#servers,
      async (client) => Object.values(await client.stats())[0] as RawStats,
    );
    const states = watched instanceof AppQueueDepths ? undefined : this.#clientStates();
    const queued = fromApp === undefined ? depthsOf(states as Map<string, ServerState>) : await fromApp;
    const now = Date.now();
    const rows: ServerRow[] = [];
    for (const answer of answers) {
      const name = answer.name;
      const held = { name, queued: queued?.get(name) ?? zero(queued), health: rowHealth(states?.get(name), now) };
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

  /** Requests held per server name by the application; undefined when its endpoint did not answer. */
  async #appDepths(app: AppQueueDepths): Promise<Map<string, number> | undefined> {
    try {
      const depths = await app.read();
      this.#queueError = undefined;
      return depths;
    } catch (error) {
      this.#queueError = `${app.url}: ${error instanceof Error ? error.message : String(error)}`;
      return undefined;
    }
  }

  /** Each server's state in a client: the watched client's, or each of the sampler's own clients'. */
  #clientStates(): Map<string, ServerState> {
    const watched = this.#watched as Client | undefined;
    const states = watched?.servers() ?? this.#servers.flatMap(({ client }) => client.servers());
    return new Map(states.map((state) => [state.name, state]));
  }
}

/** Requests held per server name (in flight plus queued), from the clients' states. */
function depthsOf(states: Map<string, ServerState>): Map<string, number> {
  return new Map([...states].map(([name, state]) => [name, state.inFlight]));
}

/** A server the depths do not name holds nothing there (an application's client may not use it). */
function zero(depths: Map<string, number> | undefined): number | undefined {
  return depths === undefined ? undefined : 0;
}

/** Down servers first (they are the news), then the busiest. */
export function sortRows(rows: readonly ServerRow[]): ServerRow[] {
  const busy = (row: ServerRow): number => (row.up ? row.rates.totalOpsPerSecond : Number.POSITIVE_INFINITY);
  return [...rows].sort((a, b) => busy(b) - busy(a) || a.name.localeCompare(b.name));
}

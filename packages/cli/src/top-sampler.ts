import { askEveryServer, type PerServer, type ServerClient } from './per-server.ts';
import type { RawStats } from './stats-figures.ts';
import { ratesBetween, type ServerRates } from './top-rates.ts';

/** A server's row in `top` and on the dashboard: its rates, or why it did not answer. */
export type ServerRow = { readonly name: string } & (
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

  constructor(servers: readonly ServerClient[]) {
    this.#servers = servers;
  }

  /** Takes a sample; resolves rows for the servers that have a previous sample or are down. */
  async sample(): Promise<ServerRow[]> {
    const at = performance.now();
    const answers: PerServer<RawStats>[] = await askEveryServer(this.#servers, async (client) => {
      return Object.values(await client.stats())[0] as RawStats;
    });
    const rows: ServerRow[] = [];
    for (const answer of answers) {
      if (!answer.ok) {
        this.#previous.delete(answer.name);
        rows.push({ name: answer.name, up: false, error: answer.error });
        continue;
      }
      const before = this.#previous.get(answer.name);
      this.#previous.set(answer.name, { stats: answer.value, at });
      if (before !== undefined) {
        const rates = ratesBetween(before.stats, answer.value, (at - before.at) / 1000);
        rows.push({ name: answer.name, up: true, rates });
      }
    }
    return sortRows(rows);
  }
}

/** Down servers first (they are the news), then the busiest. */
export function sortRows(rows: readonly ServerRow[]): ServerRow[] {
  const busy = (row: ServerRow): number => (row.up ? row.rates.totalOpsPerSecond : Number.POSITIVE_INFINITY);
  return [...rows].sort((a, b) => busy(b) - busy(a) || a.name.localeCompare(b.name));
}

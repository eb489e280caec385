import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ConnectionError, type DalliError, DiscoveryLimitError, InvalidArgumentError } from '../../errors.ts';
import type { ServerEntry } from '../server-string.ts';
import type { DiscoveryAnswer, DiscoverySource } from './discovery-loop.ts';

/** DNS answers that mean "no address of this family", not a failure. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND']);

const RECORD_TYPE = { 4: 'A', 6: 'AAAA' } as const;
type Family = keyof typeof RECORD_TYPE;

/** What resolving one entry gave: its servers, and the query that failed if one did. */
export interface Expansion {
  readonly servers: readonly string[];
  readonly problem: DalliError | undefined;
}

/**
 * Server entries naming DNS names (a Kubernetes headless service, a round-robin record), each
 * expanded to one server per address it resolves to. Asks over the DNS protocol (c-ares, A and
 * AAAA queries) rather than getaddrinfo, so every answer is seen and nothing is cached by the
 * system. Servers are named `ip:port` and sorted, so every client builds the same ring from the
 * same addresses whatever order the answers come in.
 *
 * The A and AAAA queries stand alone: when one fails (dnsmasq serving a hosts file REFUSES AAAA
 * for an IPv4-only name; some resolvers SERVFAIL) the other's addresses are used, with that family's
 * last good answer if there was one (so a passing failure does not move keys), and the failure is
 * reported as a problem of the read. Only a name of which no query gave an address fails the read.
 */
export class DnsSource implements DiscoverySource {
  readonly kind = 'dns';
  readonly target: string;
  readonly #entries: readonly ServerEntry[];
  readonly #resolver: Resolver;
  readonly #maxNodes: number;
  /** The last good answer per host and family (`host/4`, `host/6`). */
  readonly #lastAnswers = new Map<string, readonly string[]>();

  constructor(
    entries: readonly ServerEntry[],
    dnsServers: readonly string[] | undefined,
    timeoutMs: number,
    maxNodes: number,
  ) {
    this.#entries = entries;
    this.#maxNodes = maxNodes;
    this.target = entries.map((entry) => entry.name).join(', ');
    this.#resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    if (dnsServers === undefined) return;
    try {
      this.#resolver.setServers([...dnsServers]);
    } catch (error) {
      throw new InvalidArgumentError(`option "dnsServers": ${(error as Error).message}`);
    }
  }

  async read(): Promise<DiscoveryAnswer> {
    const expansions = await Promise.all(this.#entries.map((entry) => this.expand(entry)));
    const servers = [...new Set(expansions.flatMap((expansion) => expansion.servers))];
    if (servers.length > this.#maxNodes) {
      throw new DiscoveryLimitError(servers.length, this.#maxNodes, { server: this.target, operation: 'discovery' });
    }
    const problems = expansions.flatMap((expansion) => (expansion.problem === undefined ? [] : [expansion.problem]));
    return { servers: servers.sort(), problems };
  }

  /** One entry's servers (`ip:port`, one per address of its host), as a read expands it; SRV targets too. */
  async expand(entry: ServerEntry): Promise<Expansion> {
    const address = entry.address;
    if (!('host' in address) || isIP(address.host) !== 0) return { servers: [entry.name], problem: undefined };
    const host = address.host;
    const [v4, v6] = await Promise.allSettled([this.#ask(entry, 4), this.#ask(entry, 6)]);
    const failures = [v4, v6].flatMap((answer) => (answer.status === 'rejected' ? [answer.reason as DalliError] : []));
    const ips = [...this.#addresses(host, 4, v4), ...this.#addresses(host, 6, v6)];
    if (failures.length === 2) {
      const why = failures.map((error) => (error.cause as Error).message).join('; ');
      throw new ConnectionError(`DNS: resolving ${host} failed (${why})`, {
        server: entry.name,
        operation: 'discovery',
        cause: new AggregateError(failures, `the A and AAAA queries for ${host} failed`),
      });
    }
    const problem = failures[0];
    if (ips.length === 0) {
      throw (
        problem ??
        new ConnectionError(`DNS: ${host} has no A or AAAA record`, { server: entry.name, operation: 'discovery' })
      );
    }
    const servers = ips.map((ip) => (ip.includes(':') ? `[${ip}]:${address.port}` : `${ip}:${address.port}`));
    return { servers, problem };
  }

  /** A family's addresses: this answer's (remembered), or the last good one's when the query failed. */
  #addresses(host: string, family: Family, answer: PromiseSettledResult<string[]>): readonly string[] {
    const key = `${host}/${family}`;
    if (answer.status === 'rejected') return this.#lastAnswers.get(key) ?? [];
    this.#lastAnswers.set(key, answer.value);
    return answer.value;
  }

  async #ask(entry: ServerEntry, family: Family): Promise<string[]> {
    const host = (entry.address as { host: string }).host;
    try {
      return family === 4 ? await this.#resolver.resolve4(host) : await this.#resolver.resolve6(host);
    } catch (error) {
      if (NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) return [];
      const type = RECORD_TYPE[family];
      throw new ConnectionError(`DNS: the ${type} query for ${host} failed (${(error as Error).message})`, {
        server: entry.name,
        operation: 'discovery',
        cause: error,
      });
    }
  }
}

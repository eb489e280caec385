import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ConnectionError, InvalidArgumentError } from '../../errors.ts';
import type { ServerEntry } from '../server-string.ts';
import type { DiscoverySource } from './discovery-loop.ts';

/** DNS answers that mean "no address of this family", not a failure. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * Server entries naming DNS names (a Kubernetes headless service, a round-robin record), each
 * expanded to one server per address it resolves to. Asks over the DNS protocol (c-ares, A and
 * AAAA queries) rather than getaddrinfo, so every answer is seen and nothing is cached by the
 * system. Servers are named `ip:port` and sorted, so every client builds the same ring from the
 * same addresses whatever order the answers come in.
 */
export class DnsSource implements DiscoverySource {
  readonly kind = 'dns';
  readonly target: string;
  readonly #entries: readonly ServerEntry[];
  readonly #resolver: Resolver;

  constructor(entries: readonly ServerEntry[], dnsServers: readonly string[] | undefined, timeoutMs: number) {
    this.#entries = entries;
    this.target = entries.map((entry) => entry.name).join(', ');
    this.#resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    if (dnsServers === undefined) return;
    try {
      this.#resolver.setServers([...dnsServers]);
    } catch (error) {
      throw new InvalidArgumentError(`option "dnsServers": ${(error as Error).message}`);
    }
  }

  async read(): Promise<readonly string[]> {
    const lists = await Promise.all(this.#entries.map((entry) => this.#expand(entry)));
    return [...new Set(lists.flat())].sort();
  }

  async #expand(entry: ServerEntry): Promise<string[]> {
    const address = entry.address;
    if (!('host' in address) || isIP(address.host) !== 0) return [entry.name];
    const [v4, v6] = await Promise.all([this.#ask(address.host, 4), this.#ask(address.host, 6)]);
    const ips = [...v4, ...v6];
    if (ips.length === 0) {
      throw new ConnectionError(`DNS: ${address.host} has no A or AAAA record`, {
        server: entry.name,
        operation: 'discovery',
      });
    }
    return ips.map((ip) => (ip.includes(':') ? `[${ip}]:${address.port}` : `${ip}:${address.port}`));
  }

  async #ask(host: string, family: 4 | 6): Promise<string[]> {
    try {
      return family === 4 ? await this.#resolver.resolve4(host) : await this.#resolver.resolve6(host);
    } catch (error) {
      if (NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) return [];
      throw new ConnectionError(`DNS: resolving ${host} failed (${(error as Error).message})`, {
        operation: 'discovery',
        cause: error,
      });
    }
  }
}

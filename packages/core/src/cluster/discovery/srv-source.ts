import type { SrvRecord } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ConnectionError, type DalliError, DiscoveryLimitError, InvalidArgumentError } from '../../errors.ts';
import { DEFAULT_PORT, parseServerEntry, type ServerEntry } from '../server-string.ts';
import type { DiscoveryAnswer, DiscoverySource } from './discovery-loop.ts';
import { DnsSource } from './dns-source.ts';

/** The service and protocol labels asked for a bare name (RFC 2782: `_service._proto.name`). */
const SERVICE = '_memcache._tcp.';

/** DNS answers that mean "no such record", not a failure of the query. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * Server entries naming SRV services: each name is asked for `_memcache._tcp.<name>` (a name that
 * starts with `_` is asked as written, e.g. a Kubernetes port named memcached:
 * `_memcached._tcp.my-svc.my-ns.svc.cluster.local`). Each record of the lowest priority value
 * becomes one server per address of its target, at the record's port, with the record's weight as
 * its ring weight (0, "no preference" in RFC 2782, counts as 1); records of higher priority values
 * are the backups RFC 2782 describes and are not used while lower ones exist. Targets are resolved
 * as `discovery: 'dns'` resolves names (A and AAAA over the DNS protocol), and servers are named
 * `ip:port` and sorted, so every client builds the same ring. A name without SRV records, or a
 * target without addresses, fails the read: the last good list stays.
 */
export class SrvSource implements DiscoverySource {
  readonly kind = 'srv';
  readonly target: string;
  readonly #services: readonly { entry: ServerEntry; name: string }[];
  readonly #resolver: Resolver;
  readonly #targets: DnsSource;
  readonly #maxNodes: number;

  constructor(
    entries: readonly ServerEntry[],
    dnsServers: readonly string[] | undefined,
    timeoutMs: number,
    maxNodes: number,
  ) {
    this.#services = entries.map((entry) => ({ entry, name: serviceName(entry) }));
    this.target = this.#services.map((service) => service.name).join(', ');
    this.#maxNodes = maxNodes;
    // Resolves the targets, and checks dnsServers (its error names the option).
    this.#targets = new DnsSource([], dnsServers, timeoutMs, maxNodes);
    this.#resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    if (dnsServers !== undefined) this.#resolver.setServers([...dnsServers]);
  }

  async read(): Promise<DiscoveryAnswer> {
    const records = (await Promise.all(this.#services.map((service) => this.#ask(service)))).flat();
    // Refused before any target is resolved, so a huge answer costs no query per record.
    this.#checkCount(new Set(records.map((record) => `${record.name}:${record.port}`)).size);
    const expansions = await Promise.all(
      records.map(async (record) => ({
        record,
        expansion: await this.#targets.expand(parseServerEntry(`${record.name}:${record.port}`)),
      })),
    );
    // A server listed by two records keeps the larger weight.
    const weights = new Map<string, number>();
    for (const { record, expansion } of expansions) {
      const weight = Math.max(record.weight, 1);
      for (const server of expansion.servers) weights.set(server, Math.max(weights.get(server) ?? 0, weight));
    }
    this.#checkCount(weights.size);
    const problems = expansions.flatMap(({ expansion }) =>
      expansion.problem === undefined ? [] : [expansion.problem],
    );
    const servers = [...weights.keys()].sort().map((server) => `${server}:${weights.get(server)}`);
    return { servers, problems };
  }

  /** The service's records of the lowest priority value, without "." targets (service not offered). */
  async #ask(service: { entry: ServerEntry; name: string }): Promise<SrvRecord[]> {
    let records: SrvRecord[];
    try {
      records = await this.#resolver.resolveSrv(service.name);
    } catch (error) {
      if (!NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) {
        throw new ConnectionError(`DNS: the SRV query for ${service.name} failed (${(error as Error).message})`, {
          server: service.entry.name,
          operation: 'discovery',
          cause: error,
        });
      }
      records = [];
    }
    const offered = records.filter((record) => record.name !== '' && record.name !== '.');
    if (offered.length === 0) throw noRecords(service);
    const lowest = Math.min(...offered.map((record) => record.priority));
    return offered.filter((record) => record.priority === lowest);
  }

  #checkCount(count: number): void {
    if (count > this.#maxNodes) {
      throw new DiscoveryLimitError(count, this.#maxNodes, { server: this.target, operation: 'discovery' });
    }
  }
}

/** The SRV name asked for an entry; an address, socket, port or weight in it is refused (the records give those). */
function serviceName(entry: ServerEntry): string {
  const address = entry.address;
  if (!('host' in address) || isIP(address.host) !== 0 || address.port !== DEFAULT_PORT || entry.weight !== 1) {
    throw new InvalidArgumentError(
      `discovery 'srv' takes DNS names, without port or weight (the SRV records give them): got "${entry.name}"`,
    );
  }
  return address.host.startsWith('_') ? address.host : `${SERVICE}${address.host}`;
}

function noRecords(service: { entry: ServerEntry; name: string }): DalliError {
  return new ConnectionError(`DNS: ${service.name} has no SRV record`, {
    server: service.entry.name,
    operation: 'discovery',
  });
}

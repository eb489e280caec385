import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ConnectionCloseMessage } from '../../diagnostics/diagnostics.ts';
import { InvalidArgumentError } from '../../errors.ts';
import type { ResolvedClientOptions } from '../../options/client-options.ts';
import type { Cluster } from '../cluster.ts';
import type { Membership } from '../membership.ts';
import type { ServerEntry } from '../server-string.ts';
import { ConfigSource } from './config-source.ts';
import { DiscoveryLoop, type DiscoverySource } from './discovery-loop.ts';
import { DnsSource } from './dns-source.ts';
import { SrvSource } from './srv-source.ts';

/** A running discovery: stop it when the client closes. */
export interface RunningDiscovery {
  stop(): void;
}

/**
 * Starts `discovery: 'config' | 'dns' | 'srv'` for a client: the first read right away (requests wait for
 * it on `cluster.pending`), then one every `discoveryInterval`; with DNS or SRV, also soon after a
 * connection of this client fails, since a vanished pod is the likeliest cause.
 */
export function startDiscovery(
  client: object,
  entries: readonly ServerEntry[],
  cluster: Cluster,
  membership: Membership,
  options: ResolvedClientOptions,
): RunningDiscovery {
  const source = discoverySource(entries, options);
  const loop = new DiscoveryLoop(source, membership, { client, cluster, interval: options.ms.discoveryInterval });
  const first = loop.refresh().finally(() => {
    if (cluster.pending === first) cluster.pending = undefined;
  });
  cluster.pending = first;
  if (source.kind === 'config') return { stop: () => loop.stop() };
  const onClose = (message: unknown): void => {
    const closed = message as ConnectionCloseMessage;
    if (closed.client === client && closed.error !== undefined) loop.refreshSoon();
  };
  subscribe('dalli:connection:close', onClose);
  return {
    stop: () => {
      loop.stop();
      unsubscribe('dalli:connection:close', onClose);
    },
  };
}

function discoverySource(entries: readonly ServerEntry[], options: ResolvedClientOptions): DiscoverySource {
  const timeout = options.ms.socketTimeout;
  const maxNodes = options.discoveryMaxNodes;
  if (options.discovery === 'dns') return new DnsSource(entries, options.dnsServers, timeout, maxNodes);
  if (options.discovery === 'srv') return new SrvSource(entries, options.dnsServers, timeout, maxNodes);
  const endpoint = entries[0];
  if (entries.length !== 1 || endpoint === undefined || !('host' in endpoint.address)) {
    throw new InvalidArgumentError("discovery 'config' takes one server: the configuration endpoint's host:port");
  }
  return new ConfigSource(endpoint, options.tls, timeout, maxNodes);
}

import type { RunnerParts } from './client-runner.ts';
import { Cluster, SYNC_RING_MAX } from './cluster/cluster.ts';
import { type RunningDiscovery, startDiscovery } from './cluster/discovery/start-discovery.ts';
import { Membership, type ServerFactory } from './cluster/membership.ts';
import { Server, type ServerOptions } from './cluster/server.ts';
import { healthPolicyOf } from './cluster/server-health.ts';
import { plainServerList, serverList } from './cluster/server-list.ts';
import { parseServerEntry } from './cluster/server-string.ts';
import { ServersInSlices } from './cluster/servers-in-slices.ts';
import { LEASE_GET } from './commands/leases.ts';
import { expirationFor } from './commands/ttl.ts';
import { Dispatcher } from './dispatch/dispatcher.ts';
import { KeyBuilder } from './keys/key-builder.ts';
import type { ResolvedClientOptions } from './options/client-options.ts';
import type { ReadOptions } from './options/operation-options.ts';
import { checkPoolOptions } from './options/route-options.ts';
import { checkServerCount } from './options/serverless-preset.ts';
import { protocols } from './protocol/protocols.ts';
import type { WireProtocol } from './protocol/wire-protocol.ts';
import { Fetcher, type FetchStore } from './recipes/fetch/fetcher.ts';
import { ClientNearCache } from './recipes/near-cache/client-near-cache.ts';
import type { PoolCluster } from './routing/create-router.ts';
import { ValueCodec } from './values/value-codec.ts';

/** Replies carry at most the value plus a header, flags and a key (a binary header is 24 bytes). */
const REPLY_OVERHEAD = 24 + 4 + 250;

/** The public operations fetch is built from: the client's own methods. */
export type RecipeClient = Pick<FetchStore, 'get' | 'getMulti' | 'set' | 'setMulti' | 'add' | 'delete'>;

/** What a client is made of: built once, from its resolved options. */
export interface ClientParts extends RunnerParts {
  readonly fetcher: Fetcher;
  readonly membership: Membership;
  readonly discovery: RunningDiscovery | undefined;
}

/**
 * The composition root: servers, cluster, dispatcher, near cache, fetch and discovery for one
 * client, every time option already in milliseconds. Each component gets only the options it
 * declares.
 */
export function setUpClient(
  client: RecipeClient,
  servers: string | readonly string[] | undefined,
  options: ResolvedClientOptions,
): ClientParts {
  const protocol = protocols[options.protocol];
  const discovered = options.discovery !== 'none';
  // A fleet of plain host:port[:weight] entries is only checked now; its servers are made in
  // slices. memjs has no weights: a weighted list is read now, and refused with its reason.
  const weighted = options.distribution !== 'memjs';
  const fleet = discovered ? undefined : plainServerList(servers, SYNC_RING_MAX, weighted);
  const entries = fleet === undefined ? serverList(servers).map(parseServerEntry) : [];
  checkServerCount(options.preset, fleet?.length ?? entries.length);
  const makeServer = serverMaker(client, protocol, options);
  const members =
    fleet !== undefined ? new ServersInSlices(fleet, makeServer) : discovered ? [] : entries.map(makeServer);
  const cluster = new Cluster(members, options.failover, options.distribution, options.hashTag);
  const membership = new Membership(cluster, makeServer, client, (count) => checkServerCount(options.preset, count));
  const dispatcher = new Dispatcher(cluster, {
    client,
    keys: new KeyBuilder(options.namespace, options.digest),
    codec: new ValueCodec(options),
    raw: options.raw,
    maxAttempts: options.requestMaxAttempts,
    retryDelay: options.ms.socketFailureDelay,
    protocol,
    coalesceGets: options.coalesceGets,
    proxy: options.proxy,
    routes: options.routes,
    pools: poolClusters(options, makeServer),
    expiresIn: options.expiresIn,
    valueMaxBytes: options.valueMaxBytes,
  });
  const metadata = protocol.capabilities.metadata;
  const near = new ClientNearCache(client, dispatcher, metadata, options.nearCache, options.hotKeys);
  const store = fetchStore(client, dispatcher, options);
  const fetcher = new Fetcher(client, store, { leases: protocol.capabilities.leases });
  const discovery = discovered ? startDiscovery(client, entries, cluster, membership, options) : undefined;
  const { raw, expiresIn } = options;
  return { protocol, dispatcher, fetcher, membership, discovery, raw, expiresIn, near };
}

/** The `pools` option's server sets, each in a cluster of its own (placement, rehash), checked first. */
function poolClusters(options: ResolvedClientOptions, makeServer: ServerFactory): PoolCluster[] {
  const checked = Object.entries(options.pools ?? {}).map(
    ([name, pool]) => [name, checkPoolOptions(name, pool)] as const,
  );
  return checked.map(([name, pool]) => {
    const servers = serverList(pool.servers).map(parseServerEntry).map(makeServer);
    const distribution = pool.distribution ?? options.distribution;
    const cluster = new Cluster(servers, pool.failover ?? false, distribution, options.hashTag);
    return { name, cluster, zone: pool.zone };
  });
}

/** What a client's servers share: every server option but the name, address, weight and login. */
type SharedServerOptions = Omit<ServerOptions, 'name' | 'address' | 'weight' | 'handshake'>;

/** Makes the client's servers: one frozen options object shared by all, plus each one's own fields. */
function serverMaker(client: object, protocol: WireProtocol, options: ResolvedClientOptions): ServerFactory {
  const shared: SharedServerOptions = Object.freeze({
    client,
    protocol,
    tls: options.tls,
    timeout: options.ms.socketTimeout,
    maxBodyLength: options.valueMaxBytes + REPLY_OVERHEAD,
    healthPolicy: healthPolicyOf(options.socketMaxFailures, options.ms.downRetryDelay, options.health),
    eject: options.health.eject,
    maxQueued: options.maxQueued,
    idleTimeout: options.ms.idleTimeout,
  });
  return (entry) => {
    const login = entry.credentials ?? options.credentials;
    // The shared options are the prototype of each server's own four: 10,000 servers hold 10,000
    // small objects, not 10,000 copies of every option (bench/src/fleet-limits.mjs measures it).
    const own = Object.create(shared) as { -readonly [K in keyof ServerOptions]: ServerOptions[K] };
    own.name = entry.name;
    own.address = entry.address;
    own.weight = entry.weight;
    own.handshake = login === undefined ? undefined : protocol.login(login, entry.name);
    return new Server(own);
  };
}

/** The client operations fetch is built from, the lease read only fetch uses, and the argument checks. */
function fetchStore(client: RecipeClient, dispatcher: Dispatcher, options: ResolvedClientOptions): FetchStore {
  return {
    get: client.get.bind(client),
    getMulti: client.getMulti.bind(client),
    set: client.set.bind(client),
    setMulti: client.setMulti.bind(client),
    add: client.add.bind(client),
    delete: client.delete.bind(client),
    checkKey: (key: string, operation: string) => void dispatcher.keys.wireKey(key, operation),
    checkTtl: (ttl: number | undefined, operation: string) => void expirationFor(ttl ?? options.expiresIn, operation),
    leaseGet: (key: string, lockTtl: number | undefined, recache: number | undefined, read?: ReadOptions) =>
      dispatcher.keyed(LEASE_GET, key, lockTtl, recache, undefined, read, read?.raw),
  };
}

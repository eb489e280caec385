import type { LookupFunction } from 'node:net';
import { type ConfigEndpoint, type MemcachedProcess, startConfigEndpoint, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Client,
  type ClientOptions,
  DiscoveryLimitError,
  InvalidArgumentError,
  ProtocolError,
  type ProtocolName,
} from '../../src/index.ts';
import { ClusterEvents } from '../support/cluster-events.ts';
import { DIALECTS } from '../support/dialects.ts';
import { serverHolding, valuesOnServers } from '../support/key-owners.ts';
import { startMixedLoad, whileLoaded } from '../support/mixed-load.ts';

let nodes: MemcachedProcess[];
let endpoint: ConfigEndpoint;
const cleanups: (() => Promise<void> | void)[] = [];
const KEYS = Array.from({ length: 400 }, (_, i) => `cfg:${i}`);
/** Fast polling, so the tests see a change within a few reads. */
const INTERVAL = 0.05;

beforeAll(async () => {
  nodes = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
});
afterAll(() => Promise.all(nodes.map((node) => node.stop())));
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const node of nodes) await new Client(node.address).flush().catch(() => {});
});

/** How the endpoint lists a node: host name, IP and port, as ElastiCache does. */
const entry = (node: MemcachedProcess) => ({ host: 'localhost', ip: node.host, port: node.port });
const named = (node: MemcachedProcess): string => `localhost:${node.port}`;

async function endpointWith(
  count: number,
  options?: Parameters<typeof startConfigEndpoint>[0],
): Promise<ConfigEndpoint> {
  const started = await startConfigEndpoint(options);
  started.announce(nodes.slice(0, count).map(entry));
  cleanups.push(() => started.close());
  return started;
}

let protocol: ProtocolName = 'binary';

function discovering(address: string, options: ClientOptions = {}): { client: Client; events: ClusterEvents } {
  const made = ClusterEvents.around(
    () => new Client(address, { discovery: 'config', discoveryInterval: INTERVAL, protocol, ...options }),
  );
  cleanups.push(async () => {
    made.events.stop();
    await made.client.close();
  });
  return made;
}

describe.each(DIALECTS)("discovery: 'config', %s protocol", (dialect) => {
  beforeEach(() => {
    protocol = dialect;
  });

  it('follows 2 → 3 → 2 announced nodes under a mixed load: no failed operation, keys moved as the ring diff says', async () => {
    endpoint = await endpointWith(2);
    const { client, events } = discovering(endpoint.address);
    await client.setMulti(KEYS.map((key) => [key, 'two'] as const));
    const all = nodes.map((node) => node.address);
    const byPort = (holders: Map<string, string>) =>
      new Map([...holders].map(([key, address]) => [key, `localhost:${address.split(':')[1]}`]));
    const onTwo = byPort(serverHolding(await valuesOnServers(all, KEYS), 'two'));
    const load = startMixedLoad(client);
    await whileLoaded(load);

    endpoint.announce(nodes.map(entry));
    const grow = (await events.changesSeen(2)).diff;
    await whileLoaded(load);
    await client.setMulti(KEYS.map((key) => [key, 'three'] as const));
    const onThree = byPort(serverHolding(await valuesOnServers(all, KEYS), 'three'));
    expect(KEYS.filter((key) => onTwo.get(key) !== onThree.get(key))).toEqual(KEYS.filter((key) => grow.moved(key)));
    expect(grow.added).toEqual([named(nodes[2] as MemcachedProcess)]);

    endpoint.announce(nodes.slice(0, 2).map(entry));
    const shrink = (await events.changesSeen(3)).diff;
    await whileLoaded(load);
    await client.setMulti(KEYS.map((key) => [key, 'two again'] as const));
    const backOnTwo = byPort(serverHolding(await valuesOnServers(all, KEYS), 'two again'));
    expect(KEYS.filter((key) => onThree.get(key) !== backOnTwo.get(key))).toEqual(
      KEYS.filter((key) => shrink.moved(key)),
    );
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(events.errors).toEqual([]);
    expect(client.servers().map((state) => state.name)).toEqual(nodes.slice(0, 2).map(named));
  });

  it('asks with the text command on its own connection, whatever the data dialect, and lets requests wait for the first list', async () => {
    endpoint = await endpointWith(2);
    const { client } = discovering(endpoint.address);
    // Issued before any list is known: it waits for the first read rather than fail.
    await expect(client.set('early', 'bird')).resolves.toBe(true);
    expect(await client.get('early')).toBe('bird');
    expect(endpoint.requests[0]).toBe('config get cluster');
    expect(new Set(endpoint.requests)).toEqual(new Set(['config get cluster']));
  });

  it('falls back to get AmazonElastiCache:cluster on engines older than 1.4.14', async () => {
    endpoint = await endpointWith(2, { legacyOnly: true });
    const { client, events } = discovering(endpoint.address);
    await events.changesSeen(1);
    expect(client.servers().map((state) => state.name)).toEqual(nodes.slice(0, 2).map(named));
    expect(endpoint.requests.slice(0, 2)).toEqual(['config get cluster', 'get AmazonElastiCache:cluster']);
    endpoint.announce(nodes.map(entry));
    await events.changesSeen(2);
    expect(client.servers()).toHaveLength(3);
  });

  it('applies a list only when its version rises', async () => {
    endpoint = await endpointWith(2);
    const { client, events } = discovering(endpoint.address);
    await events.changesSeen(1);
    endpoint.announce(nodes.map(entry), endpoint.version);
    const seen = endpoint.requests.length;
    while (endpoint.requests.length < seen + 3) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(client.servers()).toHaveLength(2);
    endpoint.announce(nodes.map(entry));
    await events.changesSeen(2);
    expect(client.servers()).toHaveLength(3);
  });

  it('keeps the last good list while the endpoint is down, reports it, and follows it again once back', async () => {
    endpoint = await endpointWith(2);
    const { client, events } = discovering(endpoint.address);
    await events.changesSeen(1);
    const load = startMixedLoad(client);
    await whileLoaded(load);
    await endpoint.close();
    const down = await events.errorsSeen(2);
    expect(down).toMatchObject({ source: 'config', target: endpoint.address });
    expect(down.error.code).toBe('ERR_DALLI_CONNECTION');
    await whileLoaded(load);
    expect(client.servers()).toHaveLength(2);
    endpoint.announce(nodes.map(entry));
    await endpoint.listen();
    await events.changesSeen(2);
    await whileLoaded(load);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(client.servers()).toHaveLength(3);
  });

  it.each([
    ['random bytes', 'HTTP/1.1 400 Bad Request\r\n\r\nEND\r\n'],
    ['a wrong length', 'CONFIG cluster 0 999\r\n9\nlocalhost|127.0.0.1|1\n\r\nEND\r\n'],
    ['a malformed node', 'CONFIG cluster 0 19\r\n9\nlocalhost|x|11211\n\r\nEND\r\n'],
    ['an empty node list', 'CONFIG cluster 0 3\r\n9\n\n\r\nEND\r\n'],
  ])('changes nothing on %s from the endpoint, and reports it', async (_name, garbage) => {
    endpoint = await endpointWith(2);
    const { client, events } = discovering(endpoint.address);
    await events.changesSeen(1);
    endpoint.answerGarbage(garbage);
    const reported = await events.errorsSeen(1);
    expect(reported.error).toBeInstanceOf(ProtocolError);
    expect(reported.error.message).toContain(endpoint.address);
    await expect(client.set('still', 'works')).resolves.toBe(true);
    expect(events.changes).toHaveLength(1);
    expect(client.servers().map((state) => state.name)).toEqual(nodes.slice(0, 2).map(named));
  });

  it('refuses an answer listing more nodes than discoveryMaxNodes, typed, and keeps the last good list', async () => {
    endpoint = await endpointWith(2);
    const { client, events } = discovering(endpoint.address, { discoveryMaxNodes: 2 });
    await events.changesSeen(1);
    endpoint.announce(nodes.map(entry));
    const refused = await events.errorsSeen(1);
    expect(refused).toMatchObject({ source: 'config', target: endpoint.address, applied: false });
    expect(refused.error).toBeInstanceOf(DiscoveryLimitError);
    expect(refused.error).toMatchObject({ code: 'ERR_DALLI_DISCOVERY_LIMIT', nodes: 3, limit: 2 });
    await expect(client.set('still', 'two')).resolves.toBe(true);
    expect(client.servers().map((state) => state.name)).toEqual(nodes.slice(0, 2).map(named));
    // The refused version was not taken: a later answer within the limit is applied.
    endpoint.announce([nodes[0], nodes[2]].map((node) => entry(node as MemcachedProcess)));
    await events.changesSeen(2);
    expect(client.servers().map((state) => state.name)).toEqual(
      [nodes[0], nodes[2]].map((node) => named(node as MemcachedProcess)),
    );
  });

  it('refuses an answer of more than 1000 nodes by default', async () => {
    endpoint = await endpointWith(2);
    const { client, events } = discovering(endpoint.address);
    await events.changesSeen(1);
    endpoint.announce(Array.from({ length: 1001 }, (_, i) => ({ host: '', ip: '127.0.0.1', port: 20_000 + i })));
    const refused = await events.errorsSeen(1);
    expect(refused.error).toMatchObject({ code: 'ERR_DALLI_DISCOVERY_LIMIT', nodes: 1001, limit: 1000 });
    expect(client.servers()).toHaveLength(2);
  });

  it('takes discoveryMaxNodes only with discovery', () => {
    expect(() => new Client('127.0.0.1:1', { discoveryMaxNodes: 10 })).toThrow(/"discoveryMaxNodes" needs discovery/);
    expect(() => new Client('127.0.0.1:1', { discovery: 'config', discoveryMaxNodes: 0 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('takes exactly one server, the configuration endpoint', () => {
    expect(() => new Client(['127.0.0.1:1', '127.0.0.1:2'], { discovery: 'config' })).toThrow(InvalidArgumentError);
    expect(() => new Client('/tmp/memcached.sock', { discovery: 'config' })).toThrow(InvalidArgumentError);
  });
});

describe.each(DIALECTS)("discovery: 'config' over TLS, %s protocol", (dialect) => {
  let tlsNodes: MemcachedProcess[];
  beforeEach(() => {
    protocol = dialect;
  });
  beforeAll(async () => {
    tlsNodes = await Promise.all([startMemcached({ kind: 'tls' }), startMemcached({ kind: 'tls' })]);
  });
  afterAll(() => Promise.all(tlsNodes.map((node) => node.stop())));

  it('reads the endpoint and reaches the nodes through TLS, checking their host names', async () => {
    const tlsEndpoint = await startConfigEndpoint({ tls: true });
    cleanups.push(() => tlsEndpoint.close());
    tlsEndpoint.announce(tlsNodes.slice(0, 1).map(entry));
    const ca = (tlsNodes[0] as MemcachedProcess).tls?.ca as string;
    const { client, events } = discovering(tlsEndpoint.address.replace('127.0.0.1', 'localhost'), { tls: { ca } });
    await expect(client.set('over', 'tls')).resolves.toBe(true);
    tlsEndpoint.announce(tlsNodes.map(entry));
    await events.changesSeen(2);
    await client.setMulti(KEYS.map((key) => [key, 'tls'] as const));
    const found = await valuesOnServers(
      tlsNodes.map((node) => node.address),
      KEYS,
      { tls: { ca } },
    );
    const holders = new Set(serverHolding(found, 'tls').values());
    expect(holders.size).toBe(2);
    expect(events.errors).toEqual([]);
  });

  it('checks node host names that begin with a digit, as ElastiCache TLS names do', async () => {
    const tlsEndpoint = await startConfigEndpoint({ tls: true });
    cleanups.push(() => tlsEndpoint.close());
    // The test certificate names 1a2b3c.cache.test; 9z.cache.test it does not name.
    const [named1, other] = tlsNodes as [MemcachedProcess, MemcachedProcess];
    tlsEndpoint.announce([{ host: '1a2b3c.cache.test', ip: '127.0.0.1', port: named1.port }]);
    const ca = named1.tls?.ca as string;
    // The name exists nowhere but in the certificate: resolve it to the loopback for this socket.
    const lookup: LookupFunction = (_host, _options, done) => done(null, [{ address: '127.0.0.1', family: 4 }]);
    const { client, events } = discovering(`localhost:${tlsEndpoint.address.split(':')[1]}`, { tls: { ca, lookup } });
    await expect(client.set('digit', 'first')).resolves.toBe(true);
    expect(client.servers().map((state) => state.name)).toEqual([`1a2b3c.cache.test:${named1.port}`]);
    tlsEndpoint.announce([{ host: '9z.cache.test', ip: '127.0.0.1', port: other.port }]);
    await events.changesSeen(2);
    await expect(client.set('digit', 'second')).rejects.toThrow(/9z\.cache\.test.*altnames/);
  });
});

import { randomInt } from 'node:crypto';
import { type Dnsmasq, freePort, type MemcachedProcess, startDnsmasq, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Client,
  type ClientOptions,
  ConnectionError,
  DiscoveryLimitError,
  NoServerAvailableError,
  type ProtocolName,
} from '../../src/index.ts';
import { ClusterEvents } from '../support/cluster-events.ts';
import { DIALECTS } from '../support/dialects.ts';
import { serverHolding, valuesOnServers } from '../support/key-owners.ts';
import { startMixedLoad, whileLoaded } from '../support/mixed-load.ts';

const NAME = 'memcached.cache.test';
const KEYS = Array.from({ length: 400 }, (_, i) => `dns:${i}`);
let nodes: MemcachedProcess[];
let dns: Dnsmasq;
/** dnsmasq as shipped (no --local): it REFUSES what its hosts file cannot answer, AAAA included. */
let shipped: Dnsmasq;
const cleanups: (() => Promise<void> | void)[] = [];

/** Three memcached on one port of three addresses of a random 127.x.y.0/24, as pods behind a headless service. */
beforeAll(async () => {
  const net = `127.${randomInt(1, 255)}.${randomInt(0, 255)}`;
  const port = await freePort(`${net}.1`);
  nodes = await Promise.all([1, 2, 3].map((i) => startMemcached({ host: `${net}.${i}`, port })));
  dns = await startDnsmasq({ [NAME]: addresses(2) });
  shipped = await startDnsmasq({ [NAME]: addresses(2) }, { defaultConfig: true });
});
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await dns.stop();
  await shipped.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const node of nodes) if (node.running) await new Client(node.address).flush().catch(() => {});
  await dns.setRecords({ [NAME]: addresses(2) });
});

function addresses(count: number): string[] {
  return nodes.slice(0, count).map((node) => node.host);
}

let protocol: ProtocolName = 'binary';

function discovering(options: ClientOptions = {}, name = NAME): { client: Client; events: ClusterEvents } {
  const port = (nodes[0] as MemcachedProcess).port;
  const made = ClusterEvents.around(
    () =>
      new Client(`${name}:${port}`, {
        discovery: 'dns',
        discoveryInterval: 0.05,
        dnsServers: [dns.address],
        protocol,
        ...options,
      }),
  );
  cleanups.push(async () => {
    made.events.stop();
    await made.client.close();
  });
  return made;
}

describe.each(DIALECTS)("discovery: 'dns', %s protocol", (dialect) => {
  beforeEach(() => {
    protocol = dialect;
  });

  it('expands a name to one server per address, named ip:port and sorted', async () => {
    const { client } = discovering();
    await expect(client.set('pod', 1)).resolves.toBe(true);
    expect(client.servers().map((state) => state.name)).toEqual(
      nodes
        .slice(0, 2)
        .map((node) => node.address)
        .sort(),
    );
  });

  it('follows a node added to and removed from DNS under a mixed load: no failed operation, keys moved per the diff', async () => {
    const { client, events } = discovering();
    await client.setMulti(KEYS.map((key) => [key, 'two'] as const));
    const all = nodes.map((node) => node.address);
    const onTwo = serverHolding(await valuesOnServers(all, KEYS), 'two');
    const load = startMixedLoad(client);
    await whileLoaded(load);

    await dns.setRecords({ [NAME]: addresses(3) });
    const grow = (await events.changesSeen(2)).diff;
    expect(grow.added).toEqual([(nodes[2] as MemcachedProcess).address]);
    await whileLoaded(load);
    await client.setMulti(KEYS.map((key) => [key, 'three'] as const));
    const onThree = serverHolding(await valuesOnServers(all, KEYS), 'three');
    expect(KEYS.filter((key) => onTwo.get(key) !== onThree.get(key))).toEqual(KEYS.filter((key) => grow.moved(key)));

    await dns.setRecords({ [NAME]: [addresses(3)[0] as string, addresses(3)[2] as string] });
    const shrink = (await events.changesSeen(3)).diff;
    expect(shrink.removed).toEqual([(nodes[1] as MemcachedProcess).address]);
    await whileLoaded(load);
    await client.setMulti(KEYS.map((key) => [key, 'after'] as const));
    const after = serverHolding(await valuesOnServers(all, KEYS), 'after');
    expect(KEYS.filter((key) => onThree.get(key) !== after.get(key))).toEqual(KEYS.filter((key) => shrink.moved(key)));
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(events.errors).toEqual([]);
  });

  it('re-resolves soon after a connection fails, not only every discoveryInterval', async () => {
    const { client, events } = discovering({ discoveryInterval: 600 });
    await events.changesSeen(1);
    const gone = nodes[1] as MemcachedProcess;
    await dns.setRecords({ [NAME]: [addresses(1)[0] as string] });
    await gone.stop();
    const keys = KEYS.filter((key) => client.locate(key).server === gone.address).slice(0, 5);
    await Promise.allSettled(keys.map((key) => client.set(key, 'x')));
    const change = await events.changesSeen(2, 5_000);
    expect(change.removed).toEqual([gone.address]);
    await gone.start();
  });

  it('asks the DNS servers named by dnsServers, over the DNS protocol', async () => {
    const other = await startDnsmasq({ [NAME]: [addresses(3)[2] as string] });
    cleanups.push(() => other.stop());
    const { client } = discovering({ dnsServers: [other.address] });
    await expect(client.set('which-dns', 1)).resolves.toBe(true);
    expect(client.servers().map((state) => state.name)).toEqual([(nodes[2] as MemcachedProcess).address]);
  });

  it('keeps the last good list and reports it when the name stops resolving', async () => {
    const { client, events } = discovering();
    await events.changesSeen(1);
    await dns.setRecords({ 'other.cache.test': addresses(1) });
    const reported = await events.errorsSeen(1);
    expect(reported).toMatchObject({ source: 'dns' });
    expect(reported.error.message).toContain(NAME);
    await expect(client.set('still', 'here')).resolves.toBe(true);
    expect(client.servers()).toHaveLength(2);
  });

  it('uses the A records when dnsmasq in its default configuration refuses the AAAA query, and reports the refusal', async () => {
    const { client, events } = discovering({ dnsServers: [shipped.address] });
    await expect(client.set('half', 'answered')).resolves.toBe(true);
    expect(client.servers().map((state) => state.name)).toEqual(
      nodes
        .slice(0, 2)
        .map((node) => node.address)
        .sort(),
    );
    const refused = await events.errorsSeen(1);
    expect(refused).toMatchObject({ source: 'dns', applied: true });
    expect(refused.error).toBeInstanceOf(ConnectionError);
    expect(refused.error.message).toContain(`the AAAA query for ${NAME} failed`);
    expect(refused.error.message).toContain('REFUSED');
  });

  it('fails requests with the discovery error as the cause while no list is known', async () => {
    const { client } = discovering({ dnsServers: [shipped.address] }, 'missing.cache.test');
    const error = await client.set('nowhere', 1).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NoServerAvailableError);
    const cause = (error as NoServerAvailableError).cause;
    expect(cause).toBeInstanceOf(ConnectionError);
    expect((cause as ConnectionError).message).toContain('resolving missing.cache.test failed');
    expect((cause as ConnectionError).cause).toBeInstanceOf(AggregateError);
    expect((error as Error).message).toContain('discovery failed');
  });

  it('rejects flush, stats and version while no list is known, rather than pass an empty answer for done', async () => {
    const { client } = discovering({ dnsServers: [shipped.address] }, 'missing.cache.test');
    for (const everyServer of [() => client.flush(), () => client.stats(), () => client.version()]) {
      const error = await everyServer().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(NoServerAvailableError);
      expect((error as NoServerAvailableError).cause).toBeInstanceOf(ConnectionError);
    }
  });

  it('refuses an answer with more addresses than discoveryMaxNodes, typed, and keeps the last good list', async () => {
    const { client, events } = discovering({ discoveryMaxNodes: 2 });
    await events.changesSeen(1);
    await dns.setRecords({ [NAME]: addresses(3) });
    const refused = await events.errorsSeen(1);
    expect(refused).toMatchObject({ source: 'dns', applied: false });
    expect(refused.error).toBeInstanceOf(DiscoveryLimitError);
    expect(refused.error).toMatchObject({ code: 'ERR_DALLI_DISCOVERY_LIMIT', nodes: 3, limit: 2 });
    await expect(client.set('still', 'two')).resolves.toBe(true);
    expect(client.servers()).toHaveLength(2);
    expect(events.changes).toHaveLength(1);
  });

  it('is the cause of NoServerAvailableError when the first answer is over discoveryMaxNodes', async () => {
    const { client } = discovering({ discoveryMaxNodes: 1 });
    const error = await client.get('k').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NoServerAvailableError);
    expect((error as NoServerAvailableError).cause).toBeInstanceOf(DiscoveryLimitError);
  });
});

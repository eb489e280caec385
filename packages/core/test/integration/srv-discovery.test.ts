import { randomInt } from 'node:crypto';
import {
  type Dnsmasq,
  freePort,
  type MemcachedProcess,
  type SrvRecord,
  startDnsmasq,
  startMemcached,
} from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  type ClientOptions,
  DiscoveryLimitError,
  InvalidArgumentError,
  NoServerAvailableError,
} from '../../src/index.ts';
import { ClusterEvents } from '../support/cluster-events.ts';
import { DIALECTS } from '../support/dialects.ts';

const NAME = 'memcached.cache.test';
const SERVICE = `_memcache._tcp.${NAME}`;
const KEYS = Array.from({ length: 2_000 }, (_, i) => `srv:${i}`);
/** Three memcached, each on its own port of its own address of a random 127.x.y.0/24, with an A record each. */
let nodes: MemcachedProcess[];
let dns: Dnsmasq;
const cleanups: (() => Promise<void> | void)[] = [];

const targetOf = (i: number): string => `pod-${i}.${NAME}`;
const hosts = (): Record<string, string[]> => Object.fromEntries(nodes.map((node, i) => [targetOf(i), [node.host]]));
const record = (i: number, fields: Partial<SrvRecord> = {}): SrvRecord => ({
  name: SERVICE,
  target: targetOf(i),
  port: (nodes[i] as MemcachedProcess).port,
  ...fields,
});

beforeAll(async () => {
  const net = `127.${randomInt(1, 255)}.${randomInt(0, 255)}`;
  nodes = await Promise.all(
    [1, 2, 3].map(async (i) => startMemcached({ host: `${net}.${i}`, port: await freePort(`${net}.${i}`) })),
  );
  dns = await startDnsmasq(hosts(), { srv: [record(0, { weight: 1 }), record(1, { weight: 3 })] });
});
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await dns.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function discovering(options: ClientOptions = {}, name = NAME): { client: Client; events: ClusterEvents } {
  const made = ClusterEvents.around(
    () => new Client(name, { discovery: 'srv', discoveryInterval: 0.05, dnsServers: [dns.address], ...options }),
  );
  cleanups.push(async () => {
    made.events.stop();
    await made.client.close();
  });
  return made;
}

/** dnsmasq reloads hosts files on SIGHUP but not SRV records: a new one takes over the same port. */
async function serveSrv(records: readonly SrvRecord[]): Promise<void> {
  const port = dns.port;
  await dns.stop();
  dns = await startDnsmasq(hosts(), { srv: records, port });
}

describe.each(DIALECTS)("discovery: 'srv', %s protocol", (protocol) => {
  it('makes one server per record, at its port, named ip:port and sorted, and serves through them', async () => {
    const { client } = discovering({ protocol });
    await expect(client.set('srv', 'found')).resolves.toBe(true);
    await expect(client.get('srv')).resolves.toBe('found');
    expect(client.servers().map((state) => state.name)).toEqual(
      nodes
        .slice(0, 2)
        .map((node) => node.address)
        .sort(),
    );
  });
});

describe("discovery: 'srv'", () => {
  it("places keys by the records' weights, as a client given ip:port:weight does", async () => {
    const { client, events } = discovering();
    await events.changesSeen(1);
    const given = new Client([`${nodes[0]?.address}:1`, `${nodes[1]?.address}:3`].sort());
    const placed = (of: Client): string[] => KEYS.map((key) => of.locate(key).server);
    expect(placed(client)).toEqual(placed(given));
    const heavy = placed(client).filter((server) => server === nodes[1]?.address).length / KEYS.length;
    expect(heavy).toBeGreaterThan(0.6);
    void given.close();
  });

  it('follows a change of weight alone: the ring takes the new weights', async () => {
    const { client, events } = discovering();
    await events.changesSeen(1);
    await serveSrv([record(0, { weight: 3 }), record(1, { weight: 1 })]);
    const change = await events.changesSeen(2);
    expect(change.added).toEqual([]);
    expect(change.removed).toEqual([]);
    const given = new Client([`${nodes[0]?.address}:3`, `${nodes[1]?.address}:1`].sort());
    expect(KEYS.map((key) => client.locate(key).server)).toEqual(KEYS.map((key) => given.locate(key).server));
    await expect(client.set('reweighted', 1)).resolves.toBe(true);
    void given.close();
    await serveSrv([record(0, { weight: 1 }), record(1, { weight: 3 })]);
  });

  it('uses only the records of the lowest priority value, and follows the records when they change', async () => {
    const { client, events } = discovering();
    await events.changesSeen(1);
    await serveSrv([record(0), record(1, { priority: 5 }), record(2, { priority: 10 })]);
    const change = await events.changesSeen(2);
    expect(change).toMatchObject({ source: 'srv', servers: [nodes[0]?.address] });
    await serveSrv([record(0, { priority: 1 }), record(1, { priority: 1 }), record(2, { priority: 1 })]);
    const all = await events.changesSeen(3);
    expect(all.servers).toEqual(nodes.map((node) => node.address).sort());
    await expect(client.set('after-change', 1)).resolves.toBe(true);
    await serveSrv([record(0, { weight: 1 }), record(1, { weight: 3 })]);
    await events.changesSeen(4);
  });

  it('asks a name that starts with "_" as written', async () => {
    await serveSrv([
      record(0, { weight: 1 }),
      record(1, { weight: 3 }),
      record(2, { name: `_memcached._tcp.${NAME}` }),
    ]);
    const { client } = discovering({}, `_memcached._tcp.${NAME}`);
    await expect(client.set('named-port', 1)).resolves.toBe(true);
    expect(client.servers().map((state) => state.name)).toEqual([nodes[2]?.address]);
    await serveSrv([record(0, { weight: 1 }), record(1, { weight: 3 })]);
  });

  it('fails requests with the SRV name in the cause while the name has no record', async () => {
    const { client, events } = discovering({}, 'absent.cache.test');
    const failure = await client.get('k').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoServerAvailableError);
    expect((failure as Error).message).toContain('_memcache._tcp.absent.cache.test has no SRV record');
    expect((await events.errorsSeen(1)).source).toBe('srv');
  });

  it('refuses an answer listing more servers than discoveryMaxNodes, and has no server', async () => {
    const { client, events } = discovering({ discoveryMaxNodes: 1 });
    expect((await events.errorsSeen(1)).error).toBeInstanceOf(DiscoveryLimitError);
    expect(client.servers()).toEqual([]);
  });

  it.each([
    ['an address', '127.0.0.1'],
    ['a port', `${NAME}:11212`],
    ['a weight', `${NAME}:11211:2`],
    ['a socket', '/tmp/memcached.sock'],
  ])('refuses an entry with %s before asking anything', (_, entry) => {
    expect(() => new Client(entry, { discovery: 'srv', dnsServers: [dns.address] })).toThrow(InvalidArgumentError);
  });
});

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Client,
  type ClusterChangeMessage,
  type ConnectionCloseMessage,
  InvalidArgumentError,
  type ProtocolName,
  type RingDiff,
} from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';
import { serverHolding, valuesOnServers } from '../support/key-owners.ts';
import { startMixedLoad, whileLoaded } from '../support/mixed-load.ts';

let nodes: MemcachedProcess[];
const clients: Client[] = [];
const KEYS = Array.from({ length: 600 }, (_, i) => `moved:${i}`);

beforeAll(async () => {
  nodes = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
});
afterAll(() => Promise.all(nodes.map((node) => node.stop())));
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const node of nodes) await new Client(node.address).flush().catch(() => {});
});

let protocol: ProtocolName = 'binary';

function client(servers: string[]): Client {
  const made = new Client(servers, { protocol });
  clients.push(made);
  return made;
}

const addresses = (count: number): string[] => nodes.slice(0, count).map((node) => node.address);

/** Writes `value` to every test key through `target`, then reads where each really went. */
async function writeAndLocate(target: Client, value: string, servers: string[]): Promise<Map<string, string>> {
  await target.setMulti(KEYS.map((key) => [key, value] as const));
  return serverHolding(await valuesOnServers(servers, KEYS), value);
}

/** Keys whose server changed between two placements read back from the servers. */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return KEYS.filter((key) => before.get(key) !== after.get(key));
}

describe.each(DIALECTS)('setServers, %s protocol', (dialect) => {
  beforeEach(() => {
    protocol = dialect;
  });

  it('moves exactly the keys the ring diff says, 2 → 3 → 2, checked on the servers', async () => {
    const target = client(addresses(2));
    const onTwo = await writeAndLocate(target, 'two', addresses(3));
    const grow = (await target.setServers(addresses(3))) as RingDiff;
    const onThree = await writeAndLocate(target, 'three', addresses(3));
    expect(changed(onTwo, onThree)).toEqual(KEYS.filter((key) => grow.moved(key)));
    for (const key of KEYS) expect(onThree.get(key)).toBe(grow.ownerAfter(key));
    // Consistent hashing: a new server only takes keys; the two others keep the rest.
    expect(new Set(KEYS.filter((key) => grow.moved(key)).map((key) => onThree.get(key)))).toEqual(
      new Set([nodes[2]?.address]),
    );
    expect(grow.added).toEqual([nodes[2]?.address]);

    const shrink = (await target.setServers(addresses(2))) as RingDiff;
    const backOnTwo = await writeAndLocate(target, 'two again', addresses(3));
    expect(changed(onThree, backOnTwo)).toEqual(KEYS.filter((key) => shrink.moved(key)));
    expect(KEYS.filter((key) => shrink.moved(key)).every((key) => onThree.get(key) === nodes[2]?.address)).toBe(true);
    expect(shrink.removed).toEqual([nodes[2]?.address]);
  });

  it('reports the share of keys that moved, close to what the keys themselves show', async () => {
    const target = client(addresses(2));
    const diff = (await target.setServers(addresses(3))) as RingDiff;
    const sample = Array.from({ length: 20_000 }, (_, i) => `share:${i}`);
    const observed = sample.filter((key) => diff.moved(key)).length / sample.length;
    expect(diff.movedShare).toBeGreaterThan(0.2);
    expect(diff.movedShare).toBeLessThan(0.5);
    expect(Math.abs(observed - diff.movedShare)).toBeLessThan(0.02);
  });

  it('loses no operation of a mixed load while servers join and leave', async () => {
    const target = client(addresses(2));
    const load = startMixedLoad(target);
    await whileLoaded(load);
    await target.setServers(addresses(3));
    await whileLoaded(load);
    await target.setServers(addresses(2));
    await whileLoaded(load);
    await target.setServers([addresses(3)[2] as string, addresses(3)[0] as string]);
    await whileLoaded(load);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.done()).toBeGreaterThan(2000);
  });

  it('publishes the diff on dalli:cluster:change and keeps the connections of kept servers', async () => {
    const target = client(addresses(2));
    await target.set('warm', 1);
    await target.set('warm2', 1);
    const messages: ClusterChangeMessage[] = [];
    const listener = (message: unknown): void => void messages.push(message as ClusterChangeMessage);
    subscribe('dalli:cluster:change', listener);
    try {
      const before = new Map(target.servers().map((state) => [state.name, state.connected]));
      await target.setServers(addresses(3));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        client: target,
        source: 'setServers',
        added: [nodes[2]?.address],
        removed: [],
      });
      expect(messages[0]?.servers).toEqual(addresses(3));
      const after = new Map(target.servers().map((state) => [state.name, state.connected]));
      for (const name of addresses(2)) expect(after.get(name)).toBe(before.get(name));
      expect(after.get(nodes[2]?.address as string)).toBe(false);
    } finally {
      unsubscribe('dalli:cluster:change', listener);
    }
  });

  it('closes a removed server once the requests already written to it are answered', async () => {
    const target = client(addresses(3));
    const onThird = KEYS.filter((key) => target.locate(key).server === nodes[2]?.address).slice(0, 50);
    const closed: ConnectionCloseMessage[] = [];
    const listener = (message: unknown): void => void closed.push(message as ConnectionCloseMessage);
    subscribe('dalli:connection:close', listener);
    const writes = onThird.map((key) => target.set(key, 'in flight'));
    await target.setServers(addresses(2)).finally(() => unsubscribe('dalli:connection:close', listener));
    await expect(Promise.all(writes)).resolves.toEqual(onThird.map(() => true));
    expect(closed).toEqual([{ client: target, server: nodes[2]?.address, error: undefined }]);
    const held = await valuesOnServers([nodes[2]?.address as string], onThird);
    expect([...held.values()].every((byServer) => byServer.get(nodes[2]?.address as string) === 'in flight')).toBe(
      true,
    );
    expect(target.servers().map((state) => state.name)).toEqual(addresses(2));
  });

  it('resolves undefined and changes nothing for the list in use', async () => {
    const target = client(addresses(2));
    await expect(target.setServers(addresses(2))).resolves.toBeUndefined();
  });

  it('rejects a bad list before anything changes', async () => {
    const target = client(addresses(2));
    await expect(target.setServers([])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(target.setServers([addresses(1)[0] as string, addresses(1)[0] as string])).rejects.toThrow(
      /names a server twice/,
    );
    await expect(target.setServers(['not a server'])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(target.setServers('127.0.0.1:1' as unknown as string[])).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(target.servers().map((state) => state.name)).toEqual(addresses(2));
  });
});

import {
  type ConfigEndpoint,
  type MemcachedKind,
  type MemcachedProcess,
  startConfigEndpoint,
  startMemcached,
} from '@dalli/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, type ProtocolName } from '../../src/index.ts';
import { ClusterEvents } from '../support/cluster-events.ts';

const cleanups: (() => Promise<unknown> | undefined)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each([
  ['binary', 'sasl'],
  ['meta', 'ascii-auth'],
  ['text', 'ascii-auth'],
] as [ProtocolName, MemcachedKind][])('discovered nodes with a login, %s protocol (%s)', (protocol, kind) => {
  it('logs in to every node the endpoint announces, the ones that join later too', async () => {
    const nodes = await Promise.all([startMemcached({ kind }), startMemcached({ kind })]);
    cleanups.push(() => Promise.all(nodes.map((node) => node.stop())));
    const endpoint: ConfigEndpoint = await startConfigEndpoint();
    cleanups.push(() => endpoint.close());
    const entry = (node: MemcachedProcess) => ({ host: '', ip: node.host, port: node.port });
    endpoint.announce([entry(nodes[0] as MemcachedProcess)]);
    const [username, password] = Object.entries(nodes[0]?.users ?? {})[0] as [string, string];
    const { client, events } = ClusterEvents.around(
      () =>
        new Client(endpoint.address, {
          discovery: 'config',
          discoveryInterval: 0.05,
          protocol,
          username,
          password,
        }),
    );
    cleanups.push(async () => {
      events.stop();
      await client.close();
    });
    await expect(client.set('auth:first', 1)).resolves.toBe(true);
    endpoint.announce(nodes.map(entry));
    await events.changesSeen(2);
    const keys = Array.from({ length: 50 }, (_, i) => `auth:${i}`);
    await client.setMulti(keys.map((key) => [key, key] as const));
    expect((await client.getMulti(keys)).size).toBe(50);
    const used = new Set(keys.map((key) => client.locate(key).server));
    expect(used).toEqual(new Set(nodes.map((node) => node.address)));
    expect(client.servers().every((state) => state.up)).toBe(true);
  });
});

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BroadcastChannelBus, Client, type NearCacheEventMessage } from '../../../src/index.ts';

describe('near cache invalidation bus (BroadcastChannel)', () => {
  let memcached: MemcachedProcess;
  const cleanups: (() => unknown)[] = [];
  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(() => memcached.stop());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Two clients, each with its own bus on one channel, as two worker threads would have; ttl long enough that only the bus can drop. */
  /** Seeds values with a client off the bus, so no invalidation is still on its way when the test reads. */
  async function seed(entries: Record<string, unknown>): Promise<void> {
    const plain = new Client(memcached.address, { protocol: 'meta' });
    await plain.setMulti(entries);
    await plain.close();
  }

  function pair(name: string): [Client, Client] {
    const made = [0, 1].map(() => {
      const bus = new BroadcastChannelBus(name);
      const client = new Client(memcached.address, { protocol: 'meta', nearCache: { ttl: 600, bus } });
      cleanups.push(
        () => bus.close(),
        () => client.close(),
      );
      return client;
    });
    return made as [Client, Client];
  }

  /** Resolves when `client`'s near cache drops `key`. */
  function dropped(client: Client, key: string): Promise<void> {
    return new Promise((resolve) => {
      const listener = (message: unknown) => {
        const event = message as NearCacheEventMessage;
        if (event.client !== client || event.event !== 'dropped' || event.key !== key) return;
        unsubscribe('dalli:near-cache', listener);
        resolve();
      };
      subscribe('dalli:near-cache', listener);
    });
  }

  it("drops a key when another thread's client writes it", async () => {
    const [writer, reader] = pair('near-bus-write');
    await seed({ 'bus-key': 'v1' });
    expect(await reader.get('bus-key')).toBe('v1');
    const seen = dropped(reader, 'bus-key');
    await writer.set('bus-key', 'v2');
    await seen;
    expect(await reader.get('bus-key')).toBe('v2');
  });

  it("drops every key on another thread's flush", async () => {
    const [writer, reader] = pair('near-bus-flush');
    await seed({ 'flush-a': 1, 'flush-b': 2 });
    await reader.getMulti(['flush-a', 'flush-b']);
    expect(reader.nearCacheStats()?.entries).toBe(2);
    const cleared = new Promise<void>((resolve) => {
      const bus = new BroadcastChannelBus('near-bus-flush');
      cleanups.push(() => bus.close());
      const stop = bus.subscribe(() => {
        stop();
        // The reader heard the same message first or next; its drop is synchronous on delivery.
        setImmediate(resolve);
      });
    });
    await writer.flush();
    await cleared;
    expect(reader.nearCacheStats()?.entries).toBe(0);
    expect(await reader.get('flush-a')).toBeUndefined();
  });
});

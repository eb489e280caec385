import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BatchError, Client, NoServerAvailableError, TimeoutError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  let servers: MemcachedProcess[];
  const clients: Client[] = [];
  const proxies: FaultProxy[] = [];

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  /** A bound far above any expected duration: it catches a hang, it does not measure speed. */
  const HANG = 10_000;
  const keys = Array.from({ length: 300 }, (_, i) => `cluster:${i}`);
  const options = { socketTimeout: 0.3, socketFailureDelay: 0.02, downRetryDelay: 0.5 } as const;

  beforeAll(async () => {
    servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
    await Promise.all(servers.map((server) => (server.running ? server.thaw() : server.restart())));
    // Each test starts from empty caches: failover writes of one test must not feed the next.
    const cleaner = new Client(servers.map((server) => server.address));
    await cleaner.flush();
    await cleaner.close();
  });

  function client(addresses: string[], extra: ConstructorParameters<typeof Client>[1] = {}): Client {
    const made = new Client(addresses, { protocol, ...options, ...extra });
    clients.push(made);
    return made;
  }

  /** The keys the ring gives to each server. */
  function byServer(cache: Client): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const key of keys) {
      const { server } = cache.locate(key);
      groups.set(server, [...(groups.get(server) ?? []), key]);
    }
    return groups;
  }

  describe('failover with real memcached processes', () => {
    it('spreads keys over every server', async () => {
      const cache = client(servers.map((server) => server.address));
      const groups = byServer(cache);
      expect(groups.size).toBe(3);
      await cache.setMulti(keys.map((key) => [key, key] as const));
      const stats = await cache.stats();
      for (const server of servers)
        expect(Number(stats[server.address]?.curr_items)).toBe(groups.get(server.address)?.length);
    });

    it('fails over the keys of a killed server, and recovers after downRetryDelay once it restarts', async () => {
      const cache = client(servers.map((server) => server.address));
      const [, victim] = servers as [MemcachedProcess, MemcachedProcess];
      const lost = byServer(cache).get(victim.address) as string[];
      await cache.setMulti(keys.map((key) => [key, key] as const));
      victim.signal('SIGKILL');
      await expect.poll(() => victim.running).toBe(false);

      // Every read settles: the victim's keys as misses on their failover servers, the rest as hits.
      const values = await Promise.all(keys.map((key) => cache.get(key)));
      expect(values).toEqual(keys.map((key) => (lost.includes(key) ? undefined : key)));
      expect(cache.servers().find((server) => server.name === victim.address)).toMatchObject({ up: false });
      for (const key of lost) expect(cache.locate(key).route).not.toBe(victim.address);

      // Writes to its keys land on the failover servers meanwhile.
      await cache.setMulti(lost.map((key) => [key, `moved:${key}`] as const));
      expect(await cache.get(lost[0] as string)).toBe(`moved:${lost[0]}`);

      await victim.restart();
      await sleep(600);
      // The probe goes back to the restarted (empty) server: it owns its keys again.
      expect(await cache.get(lost[0] as string)).toBeUndefined();
      expect(cache.servers().find((server) => server.name === victim.address)).toMatchObject({ up: true, failures: 0 });
      expect(cache.locate(lost[0] as string).route).toBe(victim.address);
    });

    it('settles every operation on a frozen (SIGSTOP) server within the timeout budget, marks it down, fails over', async () => {
      const cache = client(servers.map((server) => server.address));
      const victim = servers[2] as MemcachedProcess;
      const stuck = byServer(cache).get(victim.address) as string[];
      await cache.setMulti(keys.map((key) => [key, key] as const));
      await victim.freeze();
      const started = performance.now();
      const outcomes = await Promise.allSettled([
        ...stuck.slice(0, 20).map((key) => cache.get(key)),
        ...stuck.slice(20, 25).map((key) => cache.set(key, 'new')),
      ]);
      expect(performance.now() - started).toBeLessThan(HANG);
      // Reads were retried and then failed over (a miss there); writes, once sent, are never replayed.
      expect(outcomes.slice(0, 20).map((outcome) => outcome.status)).toEqual(new Array(20).fill('fulfilled'));
      for (const outcome of outcomes.slice(20)) {
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
      }
      expect(cache.servers().find((server) => server.name === victim.address)).toMatchObject({
        up: false,
        failures: 2,
      });
      expect(await cache.set(stuck[0] as string, 'elsewhere')).toBe(true);
      expect(await cache.get(stuck[0] as string)).toBe('elsewhere');
    });

    it('behaves the same when a proxy swallows all traffic to one server (blackhole)', async () => {
      const [first, second, third] = servers as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
      const proxy = await startFaultProxy(second);
      proxies.push(proxy);
      const cache = client([first.address, proxy.address, third.address]);
      const stuck = byServer(cache).get(proxy.address) as string[];
      await cache.setMulti(keys.map((key) => [key, key] as const));
      proxy.set({ blackhole: true });
      const started = performance.now();
      const values = await Promise.all(stuck.slice(0, 10).map((key) => cache.get(key)));
      expect(performance.now() - started).toBeLessThan(HANG);
      expect(values).toEqual(new Array(10).fill(undefined));
      expect(cache.servers().find((server) => server.name === proxy.address)?.up).toBe(false);
    });

    it("without failover, rejects the down server's keys with NoServerAvailableError and serves the rest", async () => {
      const cache = client(
        servers.map((server) => server.address),
        { failover: false },
      );
      const victim = servers[0] as MemcachedProcess;
      const groups = byServer(cache);
      await cache.setMulti(keys.map((key) => [key, key] as const));
      victim.signal('SIGKILL');
      await expect.poll(() => victim.running).toBe(false);
      const lost = groups.get(victim.address) as string[];
      await cache.get(lost[0] as string).catch(() => undefined); // two refusals mark it down
      await expect(cache.get(lost[1] as string)).rejects.toBeInstanceOf(NoServerAvailableError);
      const kept = groups.get((servers[1] as MemcachedProcess).address) as string[];
      expect(await cache.get(kept[0] as string)).toBe(kept[0]);
    });
  });

  describe('multi-server operations', () => {
    it('sends each getMulti as one write per server, and concurrent ones in the same tick share it', async () => {
      for (const server of servers) proxies.push(await startFaultProxy(server));
      const cache = client(proxies.map((proxy) => proxy.address));
      await cache.setMulti(keys.map((key) => [key, key] as const));
      await cache.noop();
      for (let batch = 1; batch <= 3; batch++) {
        const before = proxies.map((proxy) => proxy.clientChunks);
        const found = await cache.getMulti(keys);
        expect(found.size).toBe(keys.length);
        expect(proxies.map((proxy, i) => proxy.clientChunks - (before[i] as number))).toEqual([1, 1, 1]);
      }
      const before = proxies.map((proxy) => proxy.clientChunks);
      const results = await Promise.all([cache.getMulti(keys.slice(0, 150)), cache.getMulti(keys.slice(150))]);
      expect(results[0].size + results[1].size).toBe(300);
      expect(proxies.map((proxy, i) => proxy.clientChunks - (before[i] as number))).toEqual([1, 1, 1]);
    });

    it('rejects a getMulti with a BatchError holding the hits from the servers that answered', async () => {
      const [first, second, third] = servers as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
      const proxy = await startFaultProxy(second);
      proxies.push(proxy);
      const cache = client([first.address, proxy.address, third.address], { failover: false, socketMaxFailures: 1 });
      const groups = byServer(cache);
      await cache.setMulti(keys.map((key) => [key, key] as const));
      proxy.set({ blackhole: true });
      const error = await cache.getMulti(keys).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatchError);
      const batch = error as BatchError<Map<string, unknown>>;
      const failed = groups.get(proxy.address) as string[];
      expect([...batch.errors.keys()].sort()).toEqual([...failed].sort());
      expect(batch.results.size).toBe(keys.length - failed.length);
      for (const [key, value] of batch.results) expect(value).toBe(key);
      expect(batch.message).toContain(proxy.address);
    });

    it('addresses flush, stats and version to every server and reports per server, failures included', async () => {
      const [first, second, third] = servers as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
      const cache = client([first.address, second.address, third.address], { socketMaxFailures: 1 });
      const versions = await cache.version();
      expect(Object.keys(versions)).toEqual(servers.map((server) => server.address));
      await cache.set('flush-me', 1);
      expect(await cache.flush()).toEqual(Object.fromEntries(servers.map((server) => [server.address, true])));
      expect(await cache.get('flush-me')).toBeUndefined();
      second.signal('SIGKILL');
      await expect.poll(() => second.running).toBe(false);
      const error = await cache.stats().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatchError);
      const batch = error as BatchError<Record<string, Record<string, string>>>;
      expect(Object.keys(batch.results).sort()).toEqual([first.address, third.address].sort());
      expect([...batch.errors.keys()]).toEqual([second.address]);
    });
  });
});

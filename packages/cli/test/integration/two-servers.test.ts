import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { heldBy } from '../support/held-by.ts';
import { runDalli } from '../support/run-dalli.ts';

let servers: MemcachedProcess[];
let list: string;
let cluster: Client;
const dalli = (...args: string[]) => runDalli([...args, '--servers', list]);

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached()]);
  list = servers.map((server) => server.address).join(',');
  cluster = new Client(servers.map((server) => server.address));
});
afterAll(async () => {
  await cluster.close();
  await Promise.all(servers.map((server) => server.stop()));
});
beforeEach(() => cluster.flush());

describe('dalli against two real memcached servers', () => {
  it('locate --json agrees with the client and names the server that holds the key', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `user:${i}`);
    const { status, stdout } = await dalli('locate', ...keys, '--json');
    expect(status).toBe(0);
    const located = JSON.parse(stdout) as { key: string; wireKey: string; hash: number; server: string }[];
    expect(new Set(located.map((at) => at.server)).size).toBe(2);
    for (const at of located) {
      expect(at).toMatchObject({ ...cluster.locate(at.key), key: at.key, wireKey: at.key });
      await cluster.set(at.key, 'here');
      expect(await heldBy(at.server, at.key)).toBe('here');
    }
  });

  it('locate prints a table with the wire key, hash, server and route', async () => {
    const { stdout } = await dalli('locate', 'a', '--namespace', 'ns');
    const at = new Client(
      servers.map((server) => server.address),
      { namespace: 'ns' },
    ).locate('a');
    expect(stdout.split('\n')[0]).toMatch(/^KEY\s+WIRE KEY\s+HASH\s+SERVER\s+ROUTE$/);
    expect(stdout.split('\n')[1]?.split(/\s+/)).toEqual(['a', 'ns:a', String(at.hash), at.server, at.route]);
  });

  it('set and get reach the key’s own server', async () => {
    expect((await dalli('set', 'spread', 'v1')).status).toBe(0);
    expect(await heldBy(cluster.locate('spread').server, 'spread')).toBe('v1');
    expect((await dalli('get', 'spread')).stdout).toBe('v1\n');
  });

  it('stats --json gives both servers with derived figures that match the raw ones', async () => {
    await cluster.set('s', 1);
    await cluster.get('s');
    await cluster.get('missing');
    const { status, stdout } = await dalli('stats', '--json');
    expect(status).toBe(0);
    const byServer = JSON.parse(stdout) as Record<
      string,
      { summary: Record<string, number>; stats: Record<string, string> }
    >;
    expect(Object.keys(byServer).sort()).toEqual(servers.map((server) => server.address).sort());
    for (const { summary, stats } of Object.values(byServer)) {
      expect(summary.bytesLimit).toBe(64 * 1024 * 1024);
      expect(summary.items).toBe(Number(stats.curr_items));
      const lookups = Number(stats.get_hits) + Number(stats.get_misses);
      if (lookups > 0) expect(summary.hitRatio).toBeCloseTo(Number(stats.get_hits) / lookups, 10);
    }
  });

  it.each(['meta', 'text'])('stats --json over --protocol %s reports both servers', async (protocol) => {
    const { status, stdout } = await dalli('stats', '--json', '--protocol', protocol);
    expect(status).toBe(0);
    const byServer = JSON.parse(stdout) as Record<string, { summary: { version: string } }>;
    expect(Object.keys(byServer).sort()).toEqual(servers.map((server) => server.address).sort());
    for (const { summary } of Object.values(byServer)) expect(summary.version).toMatch(/^1\.6\./);
  });

  it('stats prints a table per server: version, uptime, connections, items, memory, hit ratio, evictions', async () => {
    const { stdout } = await dalli('stats');
    for (const server of servers) expect(stdout).toContain(`== ${server.address}\n`);
    for (const label of ['version', 'uptime', 'connections', 'items', 'memory', 'hit ratio', 'evictions']) {
      expect(stdout.match(new RegExp(`^${label}\\s`, 'gm'))).toHaveLength(2);
    }
  });

  it('stats <group> shows that group per server', async () => {
    const { status, stdout } = await dalli('stats', 'settings');
    expect(status).toBe(0);
    expect(stdout.match(/^maxbytes\s+67108864$/gm)).toHaveLength(2);
  });

  it('stats with one server down still shows the other and exits 3', async () => {
    const down = '127.0.0.1:1';
    const { status, stdout, stderr } = await runDalli(['stats', '--servers', `${servers[0]?.address},${down}`]);
    expect(status).toBe(3);
    expect(stdout).toContain(`== ${servers[0]?.address}\nversion`);
    expect(stdout).toContain(`== ${down}\nunreachable:`);
    expect(stderr).toMatch(/127\.0\.0\.1:1/);
  });

  it('ring --json: shares sum to 1 over both servers, and adding a third moves about a third of keys', async () => {
    const { status, stdout } = await dalli('ring', '--json', '--sample', '20000', '--add', '127.0.0.1:3');
    expect(status).toBe(0);
    const ring = JSON.parse(stdout);
    expect(ring.current.distribution).toBe('dalli');
    expect(ring.current.shares).toHaveLength(2);
    expect(ring.current.shares.reduce((sum: number, s: { share: number }) => sum + s.share, 0)).toBeCloseTo(1, 10);
    expect(ring.changed.shares).toHaveLength(3);
    const third = ring.changed.shares[2].share as number;
    // Consistent hashing: only the keys the new server takes move.
    expect(ring.moved).toBeCloseTo(third, 10);
    expect(ring.moved).toBeGreaterThan(0.15);
    expect(ring.moved).toBeLessThan(0.5);
  });

  it('ring --remove moves exactly the removed server’s keys; the bar chart shows each server', async () => {
    const [first, second] = servers.map((server) => server.address) as [string, string];
    const json = JSON.parse((await dalli('ring', '--json', '--sample', '5000', '--remove', second)).stdout);
    expect(json.moved).toBeCloseTo(json.current.shares[1].share, 10);
    const { stdout } = await dalli('ring', '--sample', '5000');
    expect(stdout).toMatch(new RegExp(`^${first}\\s+\\d+\\.\\d%\\s+█+`, 'm'));
    expect(stdout).toMatch(new RegExp(`^${second}\\s+\\d+\\.\\d%\\s+█+`, 'm'));
  });

  it('ring --distribution ketama spreads by ketama (another split than dalli’s)', async () => {
    const dalliRing = JSON.parse((await dalli('ring', '--json', '--sample', '5000')).stdout);
    const ketama = JSON.parse((await dalli('ring', '--json', '--sample', '5000', '--distribution', 'ketama')).stdout);
    expect(ketama.current.distribution).toBe('ketama');
    expect(ketama.current.shares[0].share).not.toBe(dalliRing.current.shares[0].share);
  });

  it('flush without --yes asks; "n" (or no answer) flushes nothing and exits 1', async () => {
    await cluster.set('keep', 'me');
    const declined = await runDalli(['flush', '--servers', list], { input: 'n\n' });
    expect(declined.status).toBe(1);
    expect(declined.stderr).toContain(
      `Flush every item on 2 servers (${servers[0]?.address}, ${servers[1]?.address})?`,
    );
    expect((await runDalli(['flush', '--servers', list])).status).toBe(1);
    expect(await cluster.get('keep')).toBe('me');
  });

  it('flush answered "y", or with --yes, empties every server', async () => {
    await cluster.set('gone', 1);
    expect((await runDalli(['flush', '--servers', list], { input: 'y\n' })).status).toBe(0);
    expect(await cluster.get('gone')).toBeUndefined();
    await cluster.setMulti(new Map(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])));
    const { status, stdout } = await dalli('flush', '--yes');
    expect(status).toBe(0);
    expect(stdout).toBe(`${servers[0]?.address}: flushed\n${servers[1]?.address}: flushed\n`);
    expect((await cluster.getMulti(Array.from({ length: 20 }, (_, i) => `k${i}`))).size).toBe(0);
  });

  it('flush --delay staggers the servers as Dalli does: the first now, the second after the delay', async () => {
    const [first, second] = servers.map((server) => server.address) as [string, string];
    const keyOn = (server: string) =>
      Array.from({ length: 100 }, (_, i) => `d${i}`).find((key) => cluster.locate(key).server === server) as string;
    await cluster.set(keyOn(first), 1);
    await cluster.set(keyOn(second), 2);
    expect((await dalli('flush', '--yes', '--delay', '30')).status).toBe(0);
    expect(await cluster.get(keyOn(first))).toBeUndefined();
    expect(await cluster.get(keyOn(second))).toBe(2);
  });
});

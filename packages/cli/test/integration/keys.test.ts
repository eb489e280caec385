import { Client } from '@dalli/core';
import { type MemcachedProcess, SASL_PASSWORD, SASL_USER, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

let servers: MemcachedProcess[];
let list: string;

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached()]);
  list = servers.map((server) => server.address).join(',');
  const client = new Client(servers.map((server) => server.address));
  await client.set('session:1', 'a', 300);
  await client.set('session:2', 'bb');
  await client.set('user:ä', { name: 'x' });
  await new Client(
    servers.map((server) => server.address),
    { namespace: 'app' },
  ).set('cart:9', 'c');
  await client.setMulti(new Map(Array.from({ length: 40 }, (_, i) => [`bulk:${i}`, i])));
  await client.close();
});
afterAll(() => Promise.all(servers.map((server) => server.stop())));

type Line = { key: string; server: string; ttl: number | null; size: number };
const lines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

describe('dalli keys (lru_crawler metadump) against real memcached', () => {
  it('streams every key of both servers with its server, TTL and size (--json: one object a line)', async () => {
    const { status, stdout } = await runDalli(['keys', '--json', '--servers', list]);
    expect(status).toBe(0);
    const found = lines(stdout);
    expect(found).toHaveLength(44);
    expect(new Set(found.map((line) => line.server))).toEqual(new Set(servers.map((server) => server.address)));
    const session = found.find((line) => line.key === 'session:1') as Line;
    expect(session.ttl).toBeGreaterThan(290);
    expect(session.ttl).toBeLessThanOrEqual(300);
    expect(found.find((line) => line.key === 'session:2')?.ttl).toBeNull();
    expect(found.find((line) => line.key === 'user:ä')?.size).toBeGreaterThan(0);
    const owner = new Client(servers.map((server) => server.address)).locate('user:ä').server;
    expect(found.find((line) => line.key === 'user:ä')?.server).toBe(owner);
  });

  it('--match keeps keys matching a shell pattern, and the table shows TTL, size, server and key', async () => {
    const { stdout } = await runDalli(['keys', '--match', 'session:*', '--servers', list]);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toMatch(/^TTL\s+SIZE\s+SERVER\s+KEY$/);
    expect(rows.map((row) => row.split(/\s+/).at(-1)).sort()).toEqual(['session:1', 'session:2']);
    expect(rows.find((row) => row.endsWith('session:2'))).toMatch(/^never\s+\d+\s+127\.0\.0\.1:\d+\s+session:2$/);
  });

  it('--limit bounds the output and ends the dump early', async () => {
    const { status, stdout } = await runDalli(['keys', '--json', '--limit', '7', '--servers', list]);
    expect(status).toBe(0);
    expect(lines(stdout)).toHaveLength(7);
  });

  it('--namespace lists only that namespace, by the app’s key names', async () => {
    const { stdout } = await runDalli(['keys', '--json', '--namespace', 'app', '--servers', list]);
    expect(lines(stdout).map((line) => line.key)).toEqual(['cart:9']);
  });

  it('no matching key exits 1', async () => {
    expect((await runDalli(['keys', '--match', 'nothing:*', '--servers', list])).status).toBe(1);
  });

  it('works over TLS', async () => {
    const tlsServer = await startMemcached({ kind: 'tls' });
    try {
      const ca = tlsServer.tls?.caCertFile as string;
      await runDalli(['set', 'over-tls', 'v', '--servers', tlsServer.address, '--tls-ca', ca]);
      const { status, stdout } = await runDalli(['keys', '--json', '--servers', tlsServer.address, '--tls-ca', ca]);
      expect(status).toBe(0);
      expect(lines(stdout).map((line) => line.key)).toEqual(['over-tls']);
    } finally {
      await tlsServer.stop();
    }
  });

  it('a SASL server (binary protocol only) refuses: exit 3 with one line naming the server', async () => {
    const sasl = await startMemcached({ kind: 'sasl' });
    try {
      const { status, stderr } = await runDalli(['keys', '--servers', sasl.address]);
      expect(status).toBe(3);
      expect(stderr).toMatch(new RegExp(`^dalli: ${sasl.address.replaceAll('.', '\\.')}: .+\\n$`));
    } finally {
      await sasl.stop();
    }
  });

  it('with --username, a SASL server drops the ASCII login: exit 3 with one line that says why', async () => {
    const sasl = await startMemcached({ kind: 'sasl' });
    try {
      const env = { MEMCACHE_PASSWORD: SASL_PASSWORD };
      const { status, stderr } = await runDalli(['keys', '--servers', sasl.address, '-u', SASL_USER], { env });
      expect(status).toBe(3);
      expect(stderr).toBe(
        `dalli: ${sasl.address}: the connection closed during the ASCII login (a SASL server, -S, cannot be listed)\n`,
      );
    } finally {
      await sasl.stop();
    }
  });
});

import { randomInt } from 'node:crypto';
import { type Dnsmasq, freePort, type MemcachedProcess, startDnsmasq, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldBy } from '../support/held-by.ts';
import { runDalli } from '../support/run-dalli.ts';

const NAME = 'memcached.cache.test';
let nodes: MemcachedProcess[];
let dns: Dnsmasq;
let port: number;

/** Two memcached on one port of two addresses of a random 127.x.y.0/24, as pods behind a headless service. */
beforeAll(async () => {
  const net = `127.${randomInt(1, 255)}.${randomInt(0, 255)}`;
  port = await freePort(`${net}.1`);
  nodes = await Promise.all([1, 2].map((i) => startMemcached({ host: `${net}.${i}`, port })));
  dns = await startDnsmasq({ [NAME]: nodes.map((node) => node.host) });
});
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await dns.stop();
});

const dalli = (...args: string[]) =>
  runDalli([...args, '--discovery', 'dns', '--dns-servers', dns.address, '--servers', `${NAME}:${port}`]);

describe('dalli --discovery dns --dns-servers against dnsmasq and real memcached', () => {
  it('ring lists one server per address the name resolves to', async () => {
    const { status, stdout } = await dalli('ring', '--sample', '1000', '--json');
    expect(status).toBe(0);
    const shares = (JSON.parse(stdout) as { current: { shares: { server: string }[] } }).current.shares;
    expect(shares.map((share) => share.server).sort()).toEqual(nodes.map((node) => node.address).sort());
  });

  it('set lands on the node locate names', async () => {
    const [{ server }] = JSON.parse((await dalli('locate', 'pod:1', '--json')).stdout) as [{ server: string }];
    expect((await dalli('set', 'pod:1', 'by dns')).status).toBe(0);
    expect(await heldBy(server, 'pod:1')).toBe('by dns');
  });
});

describe('dalli --discovery dns against dnsmasq in its default configuration (AAAA answered REFUSED)', () => {
  it('uses the A records: the refused AAAA query is no failed read', async () => {
    const plain = await startDnsmasq({ [NAME]: nodes.map((node) => node.host) }, { defaultConfig: true });
    try {
      const { status, stdout, stderr } = await runDalli([
        'ring',
        '--sample',
        '1000',
        '--json',
        '--discovery',
        'dns',
        '--dns-servers',
        plain.address,
        '--servers',
        `${NAME}:${port}`,
      ]);
      expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
      const shares = (JSON.parse(stdout) as { current: { shares: { server: string }[] } }).current.shares;
      expect(shares.map((share) => share.server).sort()).toEqual(nodes.map((node) => node.address).sort());
    } finally {
      await plain.stop();
    }
  });
});

describe('dalli --discovery srv against dnsmasq serving SRV records', () => {
  it('ring lists the SRV targets at their ports, and set lands where locate says', async () => {
    const service = `_memcache._tcp.${NAME}`;
    const targets = nodes.map((_, i) => `pod-${i}.${NAME}`);
    const srv = await startDnsmasq(Object.fromEntries(nodes.map((node, i) => [targets[i], [node.host]])), {
      srv: nodes.map((node, i) => ({ name: service, target: targets[i] as string, port: node.port })),
    });
    try {
      const flags = ['--discovery', 'srv', '--dns-servers', srv.address, '--servers', NAME];
      const ring = await runDalli(['ring', '--sample', '1000', '--json', ...flags]);
      expect(ring.status).toBe(0);
      const shares = (JSON.parse(ring.stdout) as { current: { shares: { server: string }[] } }).current.shares;
      expect(shares.map((share) => share.server).sort()).toEqual(nodes.map((node) => node.address).sort());
      const [{ server }] = JSON.parse((await runDalli(['locate', 'pod:2', '--json', ...flags])).stdout) as [
        { server: string },
      ];
      expect((await runDalli(['set', 'pod:2', 'by srv', ...flags])).status).toBe(0);
      expect(await heldBy(server, 'pod:2')).toBe('by srv');
    } finally {
      await srv.stop();
    }
  });
});

import { type ConfigEndpoint, type MemcachedProcess, startConfigEndpoint, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldBy } from '../support/held-by.ts';
import { runDalli } from '../support/run-dalli.ts';

let nodes: MemcachedProcess[];
let endpoint: ConfigEndpoint;
/** How the endpoint names a node, as ElastiCache does: by host name. */
const named = (node: MemcachedProcess): string => `localhost:${node.port}`;
const dalli = (...args: string[]) => runDalli([...args, '--discovery', 'config', '--servers', endpoint.address]);

beforeAll(async () => {
  nodes = await Promise.all([startMemcached(), startMemcached()]);
  endpoint = await startConfigEndpoint();
  endpoint.announce(nodes.map((node) => ({ host: 'localhost', ip: node.host, port: node.port })));
});
afterAll(async () => {
  await endpoint.close();
  await Promise.all(nodes.map((node) => node.stop()));
});

describe('dalli --discovery config against a configuration endpoint in front of real memcached', () => {
  it('locate names a discovered node, and set/get go through it', async () => {
    const located = await dalli('locate', 'found:1', '--json');
    expect(located.status).toBe(0);
    const [{ server }] = JSON.parse(located.stdout) as [{ server: string }];
    expect(nodes.map(named)).toContain(server);

    expect((await dalli('set', 'found:1', 'via discovery')).status).toBe(0);
    const port = server.split(':')[1];
    expect(await heldBy(`127.0.0.1:${port}`, 'found:1')).toBe('via discovery');
    expect(await dalli('get', 'found:1')).toMatchObject({ status: 0, stdout: 'via discovery\n' });
    expect(endpoint.requests.filter((line) => line.startsWith('config get cluster')).length).toBeGreaterThanOrEqual(3);
  });

  it('ring shows the discovered servers, not the endpoint', async () => {
    const { status, stdout } = await dalli('ring', '--sample', '1000', '--json');
    expect(status).toBe(0);
    const shares = (JSON.parse(stdout) as { current: { shares: { server: string }[] } }).current.shares;
    expect(shares.map((share) => share.server).sort()).toEqual(nodes.map(named).sort());
  });

  it('an endpoint that does not answer is a cluster error (exit 3), in one line', async () => {
    const closed = await startConfigEndpoint();
    const address = closed.address;
    await closed.close();
    const { status, stderr } = await runDalli(['locate', 'k', '--discovery', 'config', '--servers', address]);
    expect(status).toBe(3);
    expect(stderr).toMatch(/^dalli: .+\n$/);
  });
});

describe('usage errors for the discovery flags (exit 2, one line, nothing sent)', () => {
  it.each([
    [['--discovery', 'zookeeper'], '--discovery must be none, config, dns or srv (got "zookeeper")'],
    [['--preset', 'lambda'], '--preset must be serverless (got "lambda")'],
    [['--dns-servers', '127.0.0.1:53'], '--dns-servers needs --discovery dns or srv'],
    [['--discovery', 'dns', '--dns-servers', ' , '], '--dns-servers names no DNS server'],
    [['--discovery', 'config', '--servers', '127.0.0.1:1,127.0.0.1:2'], "discovery 'config' takes one server"],
    [['--preset', 'serverless', '--protocol', 'binary'], 'refuses protocol binary'],
    [['--preset', 'serverless', '--servers', '127.0.0.1:1,127.0.0.1:2'], 'takes exactly one server'],
  ])('%j', async (flags, message) => {
    const { status, stdout, stderr } = await runDalli(['get', 'k', ...flags]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.split('\n')).toHaveLength(2);
  });

  it('--help lists the discovery flags', async () => {
    const { stdout } = await runDalli(['--help']);
    for (const flag of ['--discovery MODE', '--dns-servers LIST', '--preset serverless'])
      expect(stdout).toContain(flag);
  });
});

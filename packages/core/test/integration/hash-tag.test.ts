import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

const TAGGED = Array.from({ length: 20 }, (_, i) => `{user:42}:field:${i}`);
let servers: MemcachedProcess[];
let addresses: string[];

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 4 }, () => startMemcached()));
  addresses = servers.map((server) => server.address);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** Keys each server was asked for so far (memcached's own `cmd_get`), by server name. */
async function getsPerServer(client: Client): Promise<Map<string, number>> {
  const stats = await client.stats();
  return new Map(Object.entries(stats).map(([server, values]) => [server, Number(values.cmd_get)]));
}

describe.each(DIALECTS)("hashTag '{}' (Dalli's ring), %s protocol", (protocol) => {
  it('answers a 20-key getMulti of one tag from one server', async () => {
    const client = new Client(addresses, { hashTag: '{}', protocol });
    try {
      await client.setMulti(TAGGED.map((key, i) => [key, i] as const));
      const before = await getsPerServer(client);
      const found = await client.getMulti(TAGGED);
      const after = await getsPerServer(client);
      expect([...found.values()]).toEqual(TAGGED.map((_, i) => i));
      const asked = addresses.filter((server) => (after.get(server) ?? 0) > (before.get(server) ?? 0));
      expect(asked).toEqual([client.locate('{user:42}:anything').server]);
      expect((after.get(asked[0] as string) ?? 0) - (before.get(asked[0] as string) ?? 0)).toBe(20);
    } finally {
      await client.close();
    }
  });
});

describe('hashTag placement', () => {
  it('is off by default: the same 20 keys spread over several servers, placed by the whole key', () => {
    const client = new Client(addresses);
    const tagged = new Client(addresses, { hashTag: '{}' });
    expect(new Set(TAGGED.map((key) => client.locate(key).server)).size).toBeGreaterThan(1);
    for (const key of ['{user:42}:profile', 'plain', '{}x']) {
      // Whole-key placement: a tagged key's hash is its own, not its tag's.
      expect(client.locate(key).hash).not.toBe(client.locate('user:42').hash);
    }
    expect(TAGGED.map((key) => client.locate(key).hash)).not.toEqual(TAGGED.map((key) => tagged.locate(key).hash));
    void client.close();
    void tagged.close();
  });

  it('hashes the tag alone inside a namespace, and the namespaced key when there is no tag', () => {
    const plain = new Client(addresses);
    const namespaced = new Client(addresses, { hashTag: '{}', namespace: 'app' });
    expect(namespaced.locate('{user:42}:profile').hash).toBe(plain.locate('user:42').hash);
    expect(namespaced.locate('{user:42}:profile').key).toBe('app:{user:42}:profile');
    expect(namespaced.locate('user:42').hash).toBe(plain.locate('app:user:42').hash);
    expect(namespaced.locate('{}:x').hash).toBe(plain.locate('app:{}:x').hash);
    void plain.close();
    void namespaced.close();
  });

  it('fails the keys of one tag over together, to one other server', async () => {
    const own = await Promise.all(Array.from({ length: 4 }, () => startMemcached()));
    const client = new Client(
      own.map((server) => server.address),
      { hashTag: '{}', socketMaxFailures: 1, socketTimeout: 0.2 },
    );
    try {
      const owner = client.locate(TAGGED[0] as string).server;
      await own.find((server) => server.address === owner)?.stop();
      await client.set(TAGGED[0] as string, 'after failover');
      const routes = new Set(TAGGED.map((key) => client.locate(key).route));
      expect(routes.size).toBe(1);
      expect([...routes][0]).not.toBe(owner);
      expect([...routes][0]).toBeDefined();
      await client.setMulti(TAGGED.map((key) => [key, key] as const));
      expect((await client.getMulti(TAGGED)).size).toBe(20);
    } finally {
      await client.close();
      await Promise.all(own.map((server) => server.stop()));
    }
  });
});

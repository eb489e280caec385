import { Client } from '@dalli/core';
import { itemTtl, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

let server: MemcachedProcess;
let client: Client;

beforeAll(async () => {
  server = await startMemcached();
  client = new Client(server.address);
});
afterAll(async () => {
  await client.close();
  await server.stop();
});

// Every dialect the client speaks (--protocol), as the core's own integration suites run.
describe.each(['binary', 'meta', 'text'] as const)(
  'dalli get/set/delete/touch/incr/decr over --protocol %s',
  (protocol) => {
    const dalli = (...args: string[]) => runDalli([...args, '--servers', server.address, '--protocol', protocol]);
    const runIn = (args: string[], run: Parameters<typeof runDalli>[1]) =>
      runDalli([...args, '--servers', server.address, '--protocol', protocol], run);
    beforeAll(() => client.flush());

    it('set stores a string the client reads back, and get prints it (exit 0)', async () => {
      expect((await dalli('set', 'greeting', 'héllo wörld')).status).toBe(0);
      expect(await client.get('greeting')).toBe('héllo wörld');
      const { status, stdout } = await dalli('get', 'greeting');
      expect(status).toBe(0);
      expect(stdout).toBe('héllo wörld\n');
    });

    it('get pretty-prints a serialized value as JSON', async () => {
      await client.set('profile', { name: 'Ada', langs: ['en', 'fr'] });
      const { stdout } = await dalli('get', 'profile');
      expect(stdout).toBe('{\n  "name": "Ada",\n  "langs": [\n    "en",\n    "fr"\n  ]\n}\n');
    });

    it('set --json stores the parsed value (an app reads an object)', async () => {
      expect((await dalli('set', 'flags', '{"beta":true,"limit":3}', '--json')).status).toBe(0);
      expect(await client.get('flags')).toEqual({ beta: true, limit: 3 });
    });

    it('set - reads the value from stdin', async () => {
      const result = await runIn(['set', 'piped', '-'], { input: 'from a pipe\n' });
      expect(result.status).toBe(0);
      expect(await client.get('piped')).toBe('from a pipe\n');
    });

    it('bytes that are not UTF-8 are shown as hex; --raw writes them unchanged to stdout', async () => {
      const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x41]);
      const stored = await runIn(['set', 'blob', '-', '--raw'], { input: bytes });
      expect(stored.status).toBe(0);
      expect((await dalli('get', 'blob')).stdout).toBe('hex:ff00fe41\n');
      const raw = await dalli('get', 'blob', '--raw');
      expect(raw.stdoutBytes.equals(bytes)).toBe(true);
    });

    it('get of an absent key exits 1 and prints nothing on stdout', async () => {
      const { status, stdout, stderr } = await dalli('get', 'no-such-key');
      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe('dalli: no-such-key: not found\n');
    });

    it('delete exits 0 when it deleted, 1 when the key was absent', async () => {
      await client.set('doomed', 1);
      expect((await dalli('delete', 'doomed')).status).toBe(0);
      expect(await client.get('doomed')).toBeUndefined();
      expect((await dalli('delete', 'doomed')).status).toBe(1);
    });

    it('touch sets a new TTL on the server; exits 1 for an absent key', async () => {
      await client.set('short', 'x');
      expect(await itemTtl(server.address, 'short')).toBe(-1);
      expect((await dalli('touch', 'short', '--ttl', '100')).status).toBe(0);
      expect(await itemTtl(server.address, 'short')).toBeGreaterThan(95);
      expect((await dalli('touch', 'never-set', '--ttl', '10')).status).toBe(1);
    });

    it('set --ttl gives the item that lifetime on the server', async () => {
      expect((await dalli('set', 'brief', 'v', '--ttl', '200')).status).toBe(0);
      expect(await client.get('brief')).toBe('v');
      const ttl = await itemTtl(server.address, 'brief');
      expect(ttl).toBeGreaterThan(195);
      expect(ttl).toBeLessThanOrEqual(200);
    });

    it('incr and decr print the new value; a missing counter exits 1 unless --initial creates it', async () => {
      expect((await dalli('incr', 'views')).status).toBe(1);
      expect((await dalli('incr', 'views', '5', '--initial', '10')).stdout).toBe('10\n');
      expect((await dalli('incr', 'views', '5')).stdout).toBe('15\n');
      expect((await dalli('decr', 'views', '20')).stdout).toBe('0\n');
      expect((await dalli('incr', 'views', '18446744073709551615')).stdout).toBe('18446744073709551615\n');
    });

    it('--namespace prefixes the key as the client does', async () => {
      await new Client(server.address, { namespace: 'app' }).set('user:1', 'Grace');
      expect((await dalli('get', 'user:1', '--namespace', 'app')).stdout).toBe('Grace\n');
      expect((await dalli('get', 'app:user:1')).stdout).toBe('Grace\n');
      expect((await dalli('get', 'user:1')).status).toBe(1);
    });

    it('MEMCACHE_SERVERS names the server when --servers is absent', async () => {
      await client.set('from-env', 'yes');
      const result = await runDalli(['get', 'from-env', '--protocol', protocol], {
        env: { MEMCACHE_SERVERS: server.address },
      });
      expect(result.stdout).toBe('yes\n');
    });
  },
);

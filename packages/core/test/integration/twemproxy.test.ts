import { type MemcachedProcess, startMemcached, startTwemproxy, type TwemproxyProcess } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ConnectionError, ServerError, UnsupportedCommandError } from '../../src/index.ts';

// twemproxy (nutcracker 0.5.0) speaks only the text protocol; the client in text mode works
// through it against three real memcached backends.
let backends: MemcachedProcess[];
let proxy: TwemproxyProcess;
const clients: Client[] = [];

beforeAll(async () => {
  backends = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  proxy = await startTwemproxy(backends);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await proxy.stop();
  await Promise.all(backends.map((backend) => backend.stop()));
});

function client(options: ConstructorParameters<typeof Client>[1] = {}): Client {
  const made = new Client(proxy.address, { protocol: 'text', socketTimeout: 5, ...options });
  clients.push(made);
  return made;
}

/** How many of `keys` each backend holds, read directly. */
async function perBackend(keys: readonly string[]): Promise<number[]> {
  return Promise.all(
    backends.map(async (backend) => {
      const direct = new Client(backend.address);
      const found = await direct.getMulti(keys);
      await direct.close();
      return found.size;
    }),
  );
}

describe('binary and meta through twemproxy', () => {
  it.each(['binary', 'meta'] as const)(
    '%s fails fast with a ConnectionError asking about the protocol',
    async (protocol) => {
      const error = await client({ protocol, socketMaxFailures: 1 })
        .get('tw:k')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toContain(
        `before any reply (does it speak the ${protocol} protocol?)`,
      );
    },
  );
});

describe('text protocol through twemproxy', () => {
  it('runs every operation twemproxy supports', async () => {
    const cache = client();
    expect(await cache.set('tw:a', { x: 1 })).toBe(true);
    expect(await cache.get('tw:a')).toEqual({ x: 1 });
    expect(await cache.add('tw:a', 0)).toBe(false);
    const read = await cache.gets('tw:a');
    expect(await cache.set('tw:a', { x: 2 }, 0, { cas: read?.cas })).toBe(true);
    expect(await cache.replace('tw:a', { x: 3 }, 0, { cas: read?.cas })).toBe(false);
    await cache.set('tw:raw', 'b', 0, { raw: true });
    expect(await cache.append('tw:raw', 'c')).toBe(true);
    expect(await cache.prepend('tw:raw', 'a')).toBe(true);
    expect(await cache.get('tw:raw')).toBe('abc');
    expect(await cache.incr('tw:n', 2, 0, 10)).toBe(10n);
    expect(await cache.incr('tw:n', 2)).toBe(12n);
    expect(await cache.decr('tw:n', 5)).toBe(7n);
    expect(await cache.touch('tw:a', 60)).toBe(true);
    expect(await cache.delete('tw:a')).toBe(true);
    expect(await cache.get('tw:a')).toBeUndefined();
  });

  it('multi-gets across backends in one pipelined write', async () => {
    const cache = client();
    const keys = Array.from({ length: 200 }, (_, i) => `tw:multi:${i}`);
    await cache.setMulti(keys.map((key, i) => [key, i] as const));
    const found = await cache.getMulti([...keys, 'tw:multi:absent']);
    expect(found).toEqual(new Map(keys.map((key, i) => [key, i])));
    const spread = await perBackend(keys);
    expect(spread.reduce((a, b) => a + b)).toBe(200);
    expect(spread.every((count) => count > 0)).toBe(true);
    expect((await cache.deleteMulti(keys.slice(0, 3))).size).toBe(3);
  });

  it('answers version, and a command twemproxy does not know (gat, stats) fails typed, not by a hang', async () => {
    expect((await client().version())[proxy.address]).toBe('1.6.18');
    // twemproxy closes the connection on a command it cannot parse. A keyed gat rides the pipeline
    // (declare `proxy: 'twemproxy'` to refuse it before sending); stats goes alone, so it is told apart.
    await expect(client({ socketMaxFailures: 1 }).gat('tw:x', 10)).rejects.toBeInstanceOf(ConnectionError);
    await expect(client({ socketMaxFailures: 1 }).stats()).rejects.toBeInstanceOf(UnsupportedCommandError);
  });

  it('coalesced gets spanning a killed backend fail typed (twemproxy hangs up), never as false misses', async () => {
    const cache = client({ socketMaxFailures: 1 });
    const keys = Array.from({ length: 60 }, (_, i) => `tw:line:${i}`);
    await cache.setMulti(keys.map((key) => [key, key] as const));
    await (backends[1] as MemcachedProcess).stop();
    const results = await Promise.allSettled(keys.map((key) => cache.get(key)));
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') expect(result.value).toBe(keys[i]);
      else expect(result.reason).toBeInstanceOf(ConnectionError);
    }
    expect(results.some((result) => result.status === 'rejected')).toBe(true);
    await (backends[1] as MemcachedProcess).restart();
  });

  it('a backend killed behind the proxy gives its keys typed errors; the others keep working', async () => {
    // One get line per key: twemproxy answers each on its own (see the next test for coalesced gets).
    const cache = client({ socketMaxFailures: 1, coalesceGets: false });
    const keys = Array.from({ length: 60 }, (_, i) => `tw:kill:${i}`);
    await cache.setMulti(keys.map((key) => [key, key] as const));
    const before = await perBackend(keys);
    await (backends[0] as MemcachedProcess).stop();
    const results = await Promise.allSettled(keys.map((key) => cache.get(key)));
    const failed = results.filter((result) => result.status === 'rejected');
    expect(failed.length).toBe(before[0]);
    for (const result of failed) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ServerError);
    const served = results.filter((result) => result.status === 'fulfilled');
    expect(served.map((result) => (result as PromiseFulfilledResult<unknown>).value)).toEqual(
      keys.filter((_, i) => results[i]?.status === 'fulfilled'),
    );
  });
});

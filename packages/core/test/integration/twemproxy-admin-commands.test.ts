import { type MemcachedProcess, startMemcached, startTwemproxy, type TwemproxyProcess } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError, ServerError, UnsupportedCommandError } from '../../src/index.ts';

// twemproxy (nutcracker 0.5.0) hangs up on a command it does not know (stats, flush_all, gat).
// That command must fail alone, typed, without failing the gets in flight beside it or marking
// the proxy (the client's only server) down; declared with `proxy: 'twemproxy'`, it is refused
// before sending.
let backends: MemcachedProcess[];
let proxy: TwemproxyProcess;
const clients: Client[] = [];

beforeAll(async () => {
  backends = await Promise.all([startMemcached(), startMemcached()]);
  proxy = await startTwemproxy(backends);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await proxy.stop();
  await Promise.all(backends.map((backend) => backend.stop()));
});

function client(options: ConstructorParameters<typeof Client>[1]): Client {
  const made = new Client(proxy.address, { socketTimeout: 5, ...options });
  clients.push(made);
  return made;
}

/**
 * 50 workers reading `keys` in a loop (at most 400 gets each) while `during` runs, and 50 ms
 * after it settles: the failed gets, and `during`'s outcome.
 */
async function underLoad(cache: Client, keys: readonly string[], during: () => Promise<unknown>) {
  let stop = false;
  let failed = 0;
  let read = 0;
  const worker = async (offset: number): Promise<void> => {
    for (let i = 0; i < 400 && !stop; i++) {
      const key = keys[(offset + i) % keys.length] as string;
      try {
        if ((await cache.get(key)) === key) read++;
      } catch {
        failed++;
      }
    }
  };
  const workers = Array.from({ length: 50 }, (_, i) => worker(i));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const outcome = await Promise.allSettled([during()]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  stop = true;
  await Promise.all(workers);
  return { failed, read, outcome: outcome[0] as PromiseSettledResult<unknown> };
}

describe('undeclared: a command twemproxy does not know goes alone', () => {
  it.each([
    ['stats', (cache: Client) => cache.stats()],
    ['flush', (cache: Client) => cache.flush()],
  ] as const)('%s under 50 get workers fails typed and no get fails', async (_name, command) => {
    const cache = client({ protocol: 'text' });
    const keys = Array.from({ length: 100 }, (_, i) => `adm:${i}`);
    await cache.setMulti(keys.map((key) => [key, key] as const));
    const { failed, read, outcome } = await underLoad(cache, keys, () => command(cache));
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(UnsupportedCommandError);
    expect(failed).toBe(0);
    expect(read).toBeGreaterThan(0);
    // Not counted against the proxy: it still serves, and the refusal repeats as itself.
    await expect(cache.stats()).rejects.toBeInstanceOf(UnsupportedCommandError);
    await expect(cache.stats()).rejects.toBeInstanceOf(UnsupportedCommandError);
    expect(await cache.get('adm:1')).toBe('adm:1');
  });
});

describe("proxy: 'twemproxy'", () => {
  it('speaks text without being told and refuses stats, flush and gat before sending', async () => {
    const cache = client({ proxy: 'twemproxy' });
    expect(await cache.set('tw:declared', 'v')).toBe(true);
    const [stats, flush, gat, get] = await Promise.allSettled([
      cache.stats(),
      cache.flush(),
      cache.gat('tw:declared', 10),
      cache.get('tw:declared'),
    ]);
    for (const refused of [stats, flush, gat]) {
      expect(refused.status).toBe('rejected');
      const error = (refused as PromiseRejectedResult).reason as Error;
      expect(error).toBeInstanceOf(UnsupportedCommandError);
      expect(error.message).toContain('twemproxy (nutcracker) does not support this command');
    }
    expect(get).toEqual({ status: 'fulfilled', value: 'v' });
  });

  it('refuses a protocol twemproxy does not speak', () => {
    expect(() => new Client(proxy.address, { proxy: 'twemproxy', protocol: 'meta' })).toThrow(InvalidArgumentError);
    expect(() => new Client(proxy.address, { proxy: 'twemproxy', protocol: 'binary' })).toThrow(
      /twemproxy \(nutcracker\) speaks only text/,
    );
  });

  it('with a backend dead, every get of a key on a live backend succeeds (no coalesced line spans the dead one)', async () => {
    const cache = client({ proxy: 'twemproxy', socketMaxFailures: 1 });
    const keys = Array.from({ length: 60 }, (_, i) => `tw:dead:${i}`);
    await cache.setMulti(keys.map((key) => [key, key] as const));
    const dead = backends[1] as MemcachedProcess;
    const direct = new Client(dead.address);
    const onDead = await direct.getMulti(keys);
    await direct.close();
    await dead.stop();
    try {
      const results = await Promise.allSettled(keys.map((key) => cache.get(key)));
      for (const [i, result] of results.entries()) {
        const key = keys[i] as string;
        if (onDead.has(key)) {
          expect(result.status).toBe('rejected');
          expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ServerError);
        } else expect(result).toEqual({ status: 'fulfilled', value: key });
      }
      expect(onDead.size).toBeGreaterThan(0);
      expect(onDead.size).toBeLessThan(keys.length);
    } finally {
      await dead.restart();
    }
  });
});

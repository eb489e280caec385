import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../src/index.ts';
import { DIALECTS } from '../../support/dialects.ts';

describe.each(DIALECTS)('%s protocol: fetchMulti', (protocol) => {
  let memcached: MemcachedProcess;
  const clients: Client[] = [];
  const newClient = (): Client => {
    const made = new Client(memcached.address, { protocol });
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await memcached.stop();
  });

  it('one compute call for the misses only; hits come from the cache; results keep the given order', async () => {
    const client = newClient();
    await client.set('multi:b', 'cached b');
    const calls: string[][] = [];
    const result = await client.fetchMulti(['multi:a', 'multi:b', 'multi:c'], 60, (missing) => {
      calls.push(missing);
      return new Map(missing.map((key) => [key, `computed ${key}`]));
    });
    expect(calls).toEqual([['multi:a', 'multi:c']]);
    expect([...result]).toEqual([
      ['multi:a', 'computed multi:a'],
      ['multi:b', 'cached b'],
      ['multi:c', 'computed multi:c'],
    ]);
    expect(await client.getMulti(['multi:a', 'multi:c'])).toEqual(
      new Map([
        ['multi:a', 'computed multi:a'],
        ['multi:c', 'computed multi:c'],
      ]),
    );
  });

  it('keys the compute leaves out are neither stored nor returned; a record works as well as a Map', async () => {
    const client = newClient();
    const result = await client.fetchMulti(['multi:kept', 'multi:left'], 60, () => ({ 'multi:kept': 1 }));
    expect([...result]).toEqual([['multi:kept', 1]]);
    expect(await client.get('multi:left')).toBeUndefined();
  });

  it('10 concurrent fetchMulti calls and a fetch of the same cold keys in one client: each key computed once', async () => {
    const client = newClient();
    const computed: string[] = [];
    const computeMissing = async (missing: string[]): Promise<Map<string, string>> => {
      computed.push(...missing);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return new Map(missing.map((key) => [key, `computed ${key}`]));
    };
    const calls = Array.from({ length: 10 }, () => client.fetchMulti(['herd:a', 'herd:b'], 60, computeMissing));
    const single = client.fetch('herd:a', 60, () => {
      computed.push('by fetch');
      return 'by fetch';
    });
    const results = await Promise.all(calls);
    expect(computed.sort()).toEqual(['herd:a', 'herd:b']);
    expect(await single).toBe('computed herd:a');
    for (const result of results) {
      expect([...result]).toEqual([
        ['herd:a', 'computed herd:a'],
        ['herd:b', 'computed herd:b'],
      ]);
    }
  });

  it('no compute call when every key is cached', async () => {
    const client = newClient();
    await client.setMulti({ 'multi:x': 1, 'multi:y': 2 });
    let called = false;
    await client.fetchMulti(['multi:x', 'multi:y'], 60, () => {
      called = true;
      return {};
    });
    expect(called).toBe(false);
  });
});

describe('meta protocol: fetchMulti takes a lease per missing key', () => {
  let memcached: MemcachedProcess;
  let a: Client;
  let b: Client;
  beforeAll(async () => {
    memcached = await startMemcached();
    a = new Client(memcached.address, { protocol: 'meta' });
    b = new Client(memcached.address, { protocol: 'meta' });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await memcached.stop();
  });

  it.each([
    ['the lock key (default)', undefined],
    ["lock: 'lease'", { lock: 'lease' } as const],
  ])('%s: two clients fetching the same missing keys at once compute each key once in total', async (_, options) => {
    const computed: string[] = [];
    const compute = async (missing: string[]): Promise<Map<string, string>> => {
      computed.push(...missing);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return new Map(missing.map((key) => [key, `v ${key}`]));
    };
    const keys = ['1', '2', '3'].map((n) => `lease:${options?.lock ?? 'key'}:${n}`);
    const [fromA, fromB] = await Promise.all([
      a.fetchMulti(keys, 60, compute, options),
      b.fetchMulti(keys, 60, compute, options),
    ]);
    expect(computed.sort()).toEqual(keys);
    expect(fromA).toEqual(fromB);
    expect([...fromA.values()]).toEqual(keys.map((key) => `v ${key}`));
  });

  it("lock: false elects no one across clients: both compute, as Dalli's get-then-add", async () => {
    let computes = 0;
    const compute = async (): Promise<string> => {
      computes++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return `computed ${computes}`;
    };
    const noLock = { lock: false } as const;
    await Promise.all([a.fetch('lease:nolock', 60, compute, noLock), b.fetch('lease:nolock', 60, compute, noLock)]);
    expect(computes).toBe(2);
  });

  it('an invalidated key is served stale to the other client while its winner recomputes it', async () => {
    await a.set('lease:stale', 'old', 300);
    await a.invalidate('lease:stale', { grace: 30 });
    const winner = await a.fetchMulti(['lease:stale'], 60, () => ({ 'lease:stale': 'new' }));
    expect(winner.get('lease:stale')).toBe('new');
    expect((await b.fetchMulti(['lease:stale'], 60, () => ({}))).get('lease:stale')).toBe('new');
  });
});

import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.ts';
import { memcachedClient } from '../../support/memcached-client.ts';

describe.each(DIALECTS)('%s protocol: fetch coalesces in-process', (protocol) => {
  const suite = memcachedClient(protocol);

  const statistic = async (name: string): Promise<number> =>
    Number(Object.values(await suite.client.stats())[0]?.[name] ?? Number.NaN);

  // Meta reads once more under the lock key it took (the previous holder may have written meanwhile).
  const readsOfAMiss = protocol === 'meta' ? 2 : 1;

  it('1,000 same-key fetches in one tick put one fetch on the wire and run compute once', async () => {
    const readsBefore = await statistic('cmd_get');
    let computes = 0;
    const compute = async (): Promise<string> => `computed ${++computes}`;
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => suite.client.fetch('coalesce:one', 60, compute)),
    );
    expect(new Set(results)).toEqual(new Set(['computed 1']));
    expect(computes).toBe(1);
    // Only the fetch's reads (the stats request itself is not a get).
    expect((await statistic('cmd_get')) - readsBefore).toBe(readsOfAMiss);
  });

  it('a compute error reaches every concurrent caller, and the next fetch starts afresh', async () => {
    let computes = 0;
    const failing = async (): Promise<never> => {
      computes++;
      throw new Error('backend down');
    };
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, () => suite.client.fetch('coalesce:error', failing)),
    );
    expect(settled.every((result) => result.status === 'rejected' && result.reason.message === 'backend down')).toBe(
      true,
    );
    expect(computes).toBe(1);
    expect(await suite.client.fetch('coalesce:error', () => 'recovered')).toBe('recovered');
  });

  it('different keys are not coalesced', async () => {
    const keys: string[] = [];
    await Promise.all(['coalesce:a', 'coalesce:b'].map((key) => suite.client.fetch(key, () => keys.push(key))));
    expect(keys.sort()).toEqual(['coalesce:a', 'coalesce:b']);
  });
});

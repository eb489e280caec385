import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { createCache } from 'cache-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dalliStore } from '../src/index.ts';

// What wrap() protects through this store, as the README states it: cache-manager coalesces
// concurrent wraps of one key in one cache; the store sees only get and set, so two caches (two
// processes) each compute.
let memcached: MemcachedProcess;
const stores: ReturnType<typeof dalliStore>[] = [];
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.disconnect()));
  await memcached.stop();
});

function cache() {
  const store = dalliStore({ servers: memcached.address, namespace: 'wrap', clientOptions: { protocol: 'meta' } });
  stores.push(store);
  return createCache({ stores: [store] });
}

const slowCompute = (counter: { calls: number }) => async (): Promise<string> => {
  counter.calls++;
  await new Promise((resolve) => setTimeout(resolve, 100));
  return 'report';
};

describe('cache-manager wrap() through dalliStore', () => {
  it('50 concurrent wraps of one key in one cache compute once', async () => {
    const counter = { calls: 0 };
    const compute = slowCompute(counter);
    const cm = cache();
    const results = await Promise.all(Array.from({ length: 50 }, () => cm.wrap('report:one', compute, 60_000)));
    expect(new Set(results)).toEqual(new Set(['report']));
    expect(counter.calls).toBe(1);
  });

  it('two caches (as two processes) each compute: the store cannot see that a get is followed by a compute', async () => {
    const counter = { calls: 0 };
    const compute = slowCompute(counter);
    const [first, second] = [cache(), cache()];
    await Promise.all([first.wrap('report:two', compute, 60_000), second.wrap('report:two', compute, 60_000)]);
    expect(counter.calls).toBe(2);
  });
});

import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError, TimeoutError } from '../../../src/index.ts';

// Meta leases against real memcached 1.6.18, with separate clients (separate connections) as the
// separate readers, so nothing is coalesced in-process and memcached alone decides who wins.
let memcached: MemcachedProcess;
const clients: Client[] = [];
const newClient = (): Client => {
  const client = new Client(memcached.address, { protocol: 'meta' });
  clients.push(client);
  return client;
};
let client: Client;

beforeAll(async () => {
  memcached = await startMemcached();
  client = newClient();
});
afterAll(async () => {
  await Promise.all(clients.map((each) => each.close()));
  await memcached.stop();
});

/** A promise and the function that resolves it: a compute that finishes when the test says so. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const readers = (count: number): Client[] => Array.from({ length: count }, newClient);

describe('invalidate(key, { grace }): stale-while-revalidate', () => {
  it('after invalidate with grace 30, 100 concurrent readers: one recomputes, 99 get the old value', async () => {
    await client.set('swr:page', 'old', 300);
    expect(await client.invalidate('swr:page', { grace: 30 })).toBe(true);
    let computes = 0;
    const compute = async (): Promise<string> => {
      computes++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return 'new';
    };
    const results = await Promise.all(readers(100).map((reader) => reader.fetch('swr:page', 300, compute)));
    expect(computes).toBe(1);
    expect(results.filter((value) => value === 'new')).toHaveLength(1);
    expect(results.filter((value) => value === 'old')).toHaveLength(99);
    expect(await client.get('swr:page')).toBe('new');
  });

  it('the same 100 readers in one client: the coalesced callers get the old value, not the recompute', async () => {
    await client.set('swr:one-client', 'old', 300);
    await client.invalidate('swr:one-client', { grace: 30 });
    let computes = 0;
    const compute = async (): Promise<string> => {
      computes++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return 'new';
    };
    const results = await Promise.all(Array.from({ length: 100 }, () => client.fetch('swr:one-client', 300, compute)));
    expect(computes).toBe(1);
    expect(results[0]).toBe('new');
    expect(results.slice(1)).toEqual(Array(99).fill('old'));
  });

  it('getWithMetadata marks the old value stale: the first reader wins, the others see it already won', async () => {
    await client.set('swr:meta', 'old', 300);
    await client.invalidate('swr:meta', { grace: 30 });
    const first = await client.getWithMetadata('swr:meta');
    const second = await client.getWithMetadata('swr:meta');
    expect(first).toMatchObject({ value: 'old', stale: true, win: true, alreadyWon: false });
    expect(second).toMatchObject({ value: 'old', stale: true, win: false, alreadyWon: true });
    expect(first?.ttl).toBeLessThanOrEqual(30);
  });

  it('a fresh item is not stale; the winner writing with the lease CAS clears the mark', async () => {
    await client.set('swr:clear', 'old', 300);
    expect(await client.getWithMetadata('swr:clear')).toMatchObject({ stale: false, win: false, alreadyWon: false });
    await client.invalidate('swr:clear', { grace: 30 });
    expect(await client.fetch('swr:clear', 300, () => 'new')).toBe('new');
    expect(await client.getWithMetadata('swr:clear')).toMatchObject({ value: 'new', stale: false });
  });

  it('invalidate of an absent key resolves false', async () => {
    expect(await client.invalidate('swr:absent', { grace: 30 })).toBe(false);
  });

  it.each(['binary', 'text'] as const)(
    'invalidate in %s rejects with a clear error before sending',
    async (protocol) => {
      const other = new Client(memcached.address, { protocol });
      clients.push(other);
      await expect(other.invalidate('swr:any')).rejects.toThrow(InvalidArgumentError);
    },
  );
});

// Under a lease the winner writes with the stub's CAS; the default lock key has no CAS for a missing key.
describe("the CAS-guarded fill (lock: 'lease')", () => {
  const lease = { lock: 'lease' } as const;
  it("an invalidation during the winner's recompute makes its write fail; the next read recomputes", async () => {
    const other = newClient();
    const first = await client.fetch(
      'fill:invalidated',
      300,
      async () => {
        await other.invalidate('fill:invalidated', { grace: 30 });
        return 'computed before the invalidation';
      },
      lease,
    );
    expect(first).toBe('computed before the invalidation');
    expect(await other.fetch('fill:invalidated', 300, () => 'recomputed')).toBe('recomputed');
    expect(await client.get('fill:invalidated')).toBe('recomputed');
  });

  it('callers coalesced with the winner of an invalidated stub get the recomputed value', async () => {
    const other = newClient();
    await client.fetch(
      'fill:stale-stub',
      300,
      async () => {
        await other.invalidate('fill:stale-stub', { grace: 30 });
        return 'refused';
      },
      lease,
    );
    const results = await Promise.all([1, 2, 3].map(() => other.fetch('fill:stale-stub', 300, () => 'recomputed')));
    expect(results).toEqual(['recomputed', 'recomputed', 'recomputed']);
  });

  it("a delete during the winner's recompute is not overwritten", async () => {
    const other = newClient();
    await client.fetch(
      'fill:deleted',
      300,
      async () => {
        await other.delete('fill:deleted');
        return 'stale';
      },
      lease,
    );
    expect(await client.get('fill:deleted')).toBeUndefined();
  });

  it('no reader ever sees the lease stub as a value: get, getMulti and getWithMetadata of it miss', async () => {
    const computing = gate();
    const pending = client.fetch('fill:stub', 300, async () => {
      await computing.opened;
      return 'value';
    });
    const other = newClient();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await other.get('fill:stub')).toBeUndefined();
    expect(await other.getWithMetadata('fill:stub')).toBeUndefined();
    expect(await other.getMulti(['fill:stub'])).toEqual(new Map());
    computing.open();
    expect(await pending).toBe('value');
    expect(await other.get('fill:stub')).toBe('value');
  });
});

describe('refreshAhead', () => {
  it('an item with less TTL left than refreshAhead: one background recompute, no caller waits for it', async () => {
    await client.set('refresh:item', 'current', 5);
    const computing = gate();
    let computes = 0;
    const compute = async (): Promise<string> => {
      computes++;
      await computing.opened;
      return 'refreshed';
    };
    // Every caller resolves while the recompute is still held open.
    const results = await Promise.all(
      readers(20).map((reader) => reader.fetch('refresh:item', 300, compute, { refreshAhead: 30 })),
    );
    expect(results).toEqual(Array(20).fill('current'));
    expect(computes).toBe(1);
    computing.open();
    for (let poll = 0; poll < 100 && (await client.get('refresh:item')) !== 'refreshed'; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await client.get('refresh:item')).toBe('refreshed');
  });

  it('without refreshAhead, an item near expiry is served without a recompute', async () => {
    await client.set('refresh:off', 'current', 5);
    let computes = 0;
    expect(await client.fetch('refresh:off', 300, () => ++computes)).toBe('current');
    expect(computes).toBe(0);
  });
});

describe('waiting for another winner', () => {
  async function heldLease(key: string): Promise<{ release: () => Promise<unknown> }> {
    const computing = gate();
    const holder = newClient();
    const pending = holder.fetch(key, 300, async () => {
      await computing.opened;
      return 'winner';
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      release: () => {
        computing.open();
        return pending;
      },
    };
  }

  it('a waiter gets the winner value once it is written', async () => {
    const lease = await heldLease('wait:value');
    const waiting = newClient().fetch('wait:value', 300, () => 'loser computed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await lease.release();
    expect(await waiting).toBe('winner');
  });

  it("a waiter's signal stops its wait: it rejects with the signal's reason", async () => {
    const lease = await heldLease('wait:abort');
    const reason = new Error('request gone');
    const waiting = newClient().fetch('wait:abort', 300, () => 'loser', { signal: AbortSignal.timeout(10_000) });
    const controller = new AbortController();
    const aborted = newClient().fetch('wait:abort', 300, () => 'loser', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 100);
    await expect(aborted).rejects.toBe(reason);
    await lease.release();
    expect(await waiting).toBe('winner');
  });

  it("onWaitTimeout 'throw': past waitTimeout the waiter rejects with a TimeoutError", async () => {
    const lease = await heldLease('wait:throw');
    const waiter = newClient();
    await expect(
      waiter.fetch('wait:throw', 300, () => 'loser', { waitTimeout: 0.2, onWaitTimeout: 'throw' }),
    ).rejects.toThrow(TimeoutError);
    await lease.release();
  });

  it("onWaitTimeout 'compute' (default): past waitTimeout the waiter computes, and its value is not stored", async () => {
    const lease = await heldLease('wait:compute');
    const waiter = newClient();
    expect(await waiter.fetch('wait:compute', 300, () => 'loser', { waitTimeout: 0.2 })).toBe('loser');
    expect(await waiter.get('wait:compute')).toBeUndefined();
    await lease.release();
    expect(await waiter.get('wait:compute')).toBe('winner');
  });
});

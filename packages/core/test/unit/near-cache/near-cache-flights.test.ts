import { describe, expect, it } from 'vitest';
import { NearCache } from '../../../src/recipes/near-cache/near-cache.ts';
import type { NearRead, NearReadIo } from '../../../src/recipes/near-cache/near-reads.ts';

/**
 * The near cache's bookkeeping of reads in flight, with reads the test answers when it chooses
 * (the races a real server answers too fast to stage). What is read from memcached is proven by
 * the integration tests.
 */
interface Pending<T> {
  readonly key: string;
  resolve(value: T): void;
  reject(error: Error): void;
}

class ScriptedIo implements NearReadIo {
  readonly reads: Pending<NearRead | undefined>[] = [];
  readonly casReads: Pending<bigint | undefined>[] = [];
  read(key: string): Promise<NearRead | undefined> {
    return new Promise((resolve, reject) => this.reads.push({ key, resolve, reject }));
  }
  readonly casOf = (key: string): Promise<bigint | undefined> =>
    new Promise((resolve, reject) => this.casReads.push({ key, resolve, reject }));
  readMulti(): Promise<Map<string, NearRead>> {
    return Promise.resolve(new Map());
  }
}

const read = (value: string, cas = 1n): NearRead => ({ value, cas, bytes: value.length });

function setup() {
  const io = new ScriptedIo();
  let now = 1000;
  const near = new NearCache({}, io, { maxBytes: 1 << 20, ttl: 1000, bus: undefined }, () => now);
  return { io, near, advance: (ms: number) => (now += ms) };
}

describe('NearCache reads in flight', () => {
  it('concurrent gets of a key share one read, and the next get is served from memory', async () => {
    const { io, near } = setup();
    const gets = [near.get('k', undefined), near.get('k', undefined)];
    expect(io.reads).toHaveLength(1);
    io.reads[0]?.resolve(read('v'));
    expect(await Promise.all(gets)).toEqual(['v', 'v']);
    expect(await near.get('k', undefined)).toBe('v');
    expect(near.stats).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it('a caller with its own timeout gets its own read', () => {
    const { io, near } = setup();
    void near.get('k', undefined);
    void near.get('k', { timeout: 1 });
    expect(io.reads).toHaveLength(2);
  });

  it('a read begun before a drop of its key does not fill the cache; a get after the drop reads again', async () => {
    const { io, near } = setup();
    const before = near.get('k', undefined);
    await near.wrote(['k'], Promise.resolve());
    const after = near.get('k', undefined);
    expect(io.reads).toHaveLength(2);
    io.reads[0]?.resolve(read('old'));
    expect(await before).toBe('old');
    expect(near.stats.entries).toBe(0);
    io.reads[1]?.resolve(read('new'));
    expect(await after).toBe('new');
    expect(await near.get('k', undefined)).toBe('new');
  });

  it('a read begun before a clear does not fill the cache', async () => {
    const { io, near } = setup();
    const before = near.get('k', undefined);
    await near.wrote(undefined, Promise.resolve());
    io.reads[0]?.resolve(read('old'));
    expect(await before).toBe('old');
    expect(near.stats.entries).toBe(0);
    void near.get('k', undefined);
    expect(io.reads).toHaveLength(2);
  });

  it('a failed read and a miss leave nothing behind: the next get reads again', async () => {
    const { io, near } = setup();
    const failed = near.get('k', undefined);
    io.reads[0]?.reject(new Error('down'));
    await expect(failed).rejects.toThrow('down');
    const missed = near.get('k', undefined);
    expect(io.reads).toHaveLength(2);
    io.reads[1]?.resolve(undefined);
    expect(await missed).toBeUndefined();
    void near.get('k', undefined);
    expect(io.reads).toHaveLength(3);
    expect(near.stats.entries).toBe(0);
  });

  it('an unchanged CAS keeps the value fresh for another ttl; a drop during the revalidation does not', async () => {
    const { io, near, advance } = setup();
    const first = near.get('k', undefined);
    io.reads[0]?.resolve(read('v', 7n));
    await first;
    advance(1500);
    const revalidated = near.get('k', undefined);
    expect(io.casReads).toHaveLength(1);
    io.casReads[0]?.resolve(7n);
    expect(await revalidated).toBe('v');
    advance(500);
    expect(await near.get('k', undefined)).toBe('v');
    expect(near.stats).toMatchObject({ unchanged: 1, hits: 1 });
    advance(1000);
    const raced = near.get('k', undefined);
    await near.wrote(['k'], Promise.resolve());
    io.casReads[1]?.resolve(7n);
    expect(await raced).toBe('v');
    void near.get('k', undefined);
    expect(io.reads).toHaveLength(2);
  });
});

import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol: the TTL in options, beside the older positional forms', (protocol) => {
  let memcached: MemcachedProcess;
  let client: Client;
  /** Reads what TTL an item was given, without waiting for it to expire. */
  let meta: Client;

  beforeAll(async () => {
    memcached = await startMemcached();
    client = new Client(memcached.address, { protocol });
    meta = new Client(memcached.address, { protocol: 'meta' });
  });
  afterAll(async () => {
    await client.close();
    await meta.close();
    await memcached.stop();
  });

  const ttlOf = async (key: string): Promise<number | undefined> => (await meta.getWithMetadata(key))?.ttl;

  it('incr(key, amount, { ttl, initial }) creates the counter for ttl seconds, as incr(key, amount, ttl, initial)', async () => {
    expect(await client.incr(`ttl:${protocol}:incr`, 1, { ttl: 500, initial: 10 })).toBe(10n);
    expect(await client.incr(`ttl:${protocol}:incr`, 5, { ttl: 500, initial: 10 })).toBe(15n);
    expect(await ttlOf(`ttl:${protocol}:incr`)).toBeGreaterThan(400);
    expect(await client.decr(`ttl:${protocol}:decr`, 1, 600, 7n)).toBe(7n);
    expect(await ttlOf(`ttl:${protocol}:decr`)).toBeGreaterThan(500);
    expect(await client.incr(`ttl:${protocol}:absent`, 1, {})).toBeUndefined();
  });

  it('fetch(key, compute, { ttl }) stores for ttl seconds', async () => {
    expect(await client.fetch(`ttl:${protocol}:fetch`, () => 'computed', { ttl: 700 })).toBe('computed');
    expect(await ttlOf(`ttl:${protocol}:fetch`)).toBeGreaterThan(600);
  });

  it('fetchMulti(keys, compute, { ttl }) stores for ttl seconds', async () => {
    const keys = [`ttl:${protocol}:fm1`, `ttl:${protocol}:fm2`];
    const values = await client.fetchMulti(keys, (missing) => new Map(missing.map((key) => [key, key])), { ttl: 800 });
    expect([...values.values()]).toEqual(keys);
    expect(await ttlOf(keys[1] as string)).toBeGreaterThan(700);
  });

  it('cas(key, update, { ttl }) writes for ttl seconds', async () => {
    await client.set(`ttl:${protocol}:cas`, 1, 100);
    expect(await client.cas(`ttl:${protocol}:cas`, (value) => (value as number) + 1, { ttl: 900 })).toBe(true);
    expect(await client.get(`ttl:${protocol}:cas`)).toBe(2);
    expect(await ttlOf(`ttl:${protocol}:cas`)).toBeGreaterThan(800);
  });

  it('refuses a TTL given both as an argument and in options, before anything is sent', async () => {
    const twice = client.fetch(`ttl:${protocol}:twice`, 60, () => 'x', { ttl: 60 });
    await expect(twice).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await client.get(`ttl:${protocol}:twice`)).toBeUndefined();
  });
});

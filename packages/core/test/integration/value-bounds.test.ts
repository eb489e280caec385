import { randomBytes } from 'node:crypto';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchError, Client, ValueDecodeError } from '../../src/index.ts';
import { storedItem } from '../support/stored-item.ts';

const MiB = 1024 * 1024;
let memcached: MemcachedProcess;
let client: Client;
/** Plants values a default client refuses to write: it may inflate up to 64 MiB. */
let planter: Client;

beforeAll(async () => {
  memcached = await startMemcached();
  client = new Client(memcached.address);
  planter = new Client(memcached.address, { decompressedMaxBytes: 64 * MiB });
});
afterAll(async () => {
  await client.close();
  await planter.close();
  await memcached.stop();
});

describe('decompression bounds (a poisoned cache)', () => {
  it('refuses by default to inflate a stored value past 8 MiB: that read fails alone', async () => {
    // About 20 KiB on the wire, 20 MiB once inflated.
    await planter.set('bomb:big', 'a'.repeat(20 * MiB));
    expect((await storedItem(memcached.address, 'bomb:big'))?.bytes.length).toBeLessThan(64 * 1024);
    await expect(client.get('bomb:big')).rejects.toBeInstanceOf(ValueDecodeError);
    expect(await client.set('after-bomb', 1)).toBe(true);
  });

  it('bounds a getMulti as a whole: values that each fit fail once the batch passes 4 × decompressedMaxBytes', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `bomb:part:${i}`);
    for (const key of keys) await planter.set(key, 'b'.repeat(7 * MiB));
    expect(await client.get(keys[0] as string)).toHaveLength(7 * MiB);
    const error = await client.getMulti(keys).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchError);
    const batch = error as BatchError<Map<string, unknown>>;
    // 32 MiB in all: four 7 MiB values fit, the other two do not.
    expect(batch.results.size).toBe(4);
    expect([...batch.errors.values()].every((e) => e instanceof ValueDecodeError)).toBe(true);
    expect([...batch.errors.values()][0]?.message).toMatch(/what is left of this batch's 33554432 bytes/);
  });
});

describe('compressed writes', () => {
  it('stores a value that compression does not shrink as it is, without the compressed flag', async () => {
    const noise = randomBytes(8 * 1024);
    await client.set('noise', noise);
    expect(await storedItem(memcached.address, 'noise')).toEqual({ flags: 0, bytes: noise });
    expect(await client.get('noise', { raw: true })).toEqual(noise);
  });

  it('completes many big compressed writes issued at once against a healthy server, without timeouts', async () => {
    // Text that deflate shrinks by a quarter, slowly: ~900 KiB each, compressed with the defaults.
    const values = Array.from({ length: 40 }, () => randomBytes(675 * 1024).toString('base64'));
    const results = await Promise.allSettled(values.map((value, i) => client.set(`big:${i}`, value)));
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect((await storedItem(memcached.address, 'big:0'))?.flags).toBe(0x3);
    expect(await client.get('big:39')).toBe(values[39]);
  });
});

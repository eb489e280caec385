import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync, inflateSync } from 'node:zlib';
import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  type Compressor,
  type Serializer,
  TimeoutError,
  ValueDecodeError,
  ValueTooLargeError,
} from '../../src/index.ts';
import { type StoredItem, storedItem } from '../support/stored-item.ts';

let memcached: MemcachedProcess;
const clients: Client[] = [];

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await memcached.stop();
});

function client(options: ConstructorParameters<typeof Client>[1]): Client {
  const made = new Client(memcached.address, options);
  clients.push(made);
  return made;
}

/** What is really stored under a wire key: bytes and flags, no value rules applied. */
async function stored(wireKey: string): Promise<StoredItem> {
  const item = await storedItem(memcached.address, wireKey);
  if (item === undefined) throw new Error(`nothing stored under ${wireKey}`);
  return item;
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('client options, each shown by its effect', () => {
  it('namespace: prefixes keys with "namespace:" and keeps namespaces apart', async () => {
    const a = client({ namespace: 'app-a' });
    const b = client({ namespace: 'app-b' });
    await a.set('shared', 'from a');
    expect(await b.get('shared')).toBeUndefined();
    expect(await stored('app-a:shared')).toEqual({ flags: 1, bytes: Buffer.from('"from a"') });
  });

  it('expiresIn: applies to writes without a TTL, and an explicit TTL overrides it', async () => {
    const expiring = client({ expiresIn: 1 });
    await expiring.set('opt:expires', 'x');
    await expiring.set('opt:expires:forever', 'x', 0);
    await sleep(2_100);
    expect(await expiring.get('opt:expires')).toBeUndefined();
    expect(await expiring.get('opt:expires:forever')).toBe('x');
  });

  it('compress and compressionMinSize: compress values from the threshold on, with flag 0x2', async () => {
    const compressing = client({ compressionMinSize: 100 });
    const value = 'z'.repeat(1000);
    await compressing.set('opt:compressed', value);
    const { bytes, flags } = await stored('opt:compressed');
    expect(flags).toBe(0x3);
    expect(bytes.length).toBeLessThan(100);
    expect(inflateSync(bytes).toString()).toBe(JSON.stringify(value));
    expect(await compressing.get('opt:compressed')).toBe(value);
    await client({ compress: false, compressionMinSize: 100 }).set('opt:uncompressed', value);
    expect(await stored('opt:uncompressed')).toEqual({ flags: 0x1, bytes: Buffer.from(JSON.stringify(value)) });
  });

  it('compress per request: overrides the client setting', async () => {
    const compressing = client({ compressionMinSize: 10 });
    await compressing.set('opt:no-compress', 'y'.repeat(100), 0, { compress: false });
    expect((await stored('opt:no-compress')).flags).toBe(0x1);
  });

  it('serializer: a custom one writes its bytes with flag 0x1 and reads them back', async () => {
    const csv: Serializer = {
      dump: (value) => (value as string[]).join(','),
      load: (bytes) => bytes.toString().split(','),
    };
    const custom = client({ serializer: csv });
    await custom.set('opt:csv', ['a', 'b']);
    expect(await stored('opt:csv')).toEqual({ flags: 0x1, bytes: Buffer.from('a,b') });
    expect(await custom.get('opt:csv')).toEqual(['a', 'b']);
  });

  it('compressor: a custom one is used for writes and reads', async () => {
    // Raw deflate (no zlib header): a format the default compressor would not read.
    const rawDeflate: Compressor = {
      compress: (bytes) => deflateRawSync(bytes),
      decompress: (bytes, maxLength) => inflateRawSync(bytes, { maxOutputLength: maxLength }),
    };
    const custom = client({ compressor: rawDeflate, compressionMinSize: 1 });
    await custom.set('opt:custom', 'a'.repeat(100));
    expect(await stored('opt:custom')).toEqual({ flags: 0x3, bytes: deflateRawSync(`"${'a'.repeat(100)}"`) });
    expect(await custom.get('opt:custom')).toBe('a'.repeat(100));
  });

  it('valueMaxBytes: larger items are refused before sending', async () => {
    // 'opt:max' and a one-byte JSON value: 7 + 63 + 3 bytes of item, within 100.
    const small = client({ valueMaxBytes: 100, compress: false });
    await expect(small.set('opt:max', 'x'.repeat(100))).rejects.toBeInstanceOf(ValueTooLargeError);
    expect(await small.get('opt:max')).toBeUndefined();
    expect(await small.set('opt:max', 'x')).toBe(true);
  });

  it('decompressedMaxBytes: a stored value inflating past it fails that read only', async () => {
    const writer = client({ compressionMinSize: 1 });
    await writer.set('opt:bomb', 'b'.repeat(100_000));
    const capped = client({ decompressedMaxBytes: 10_000 });
    await expect(capped.get('opt:bomb')).rejects.toBeInstanceOf(ValueDecodeError);
    expect(await capped.set('opt:after-bomb', 1)).toBe(true);
  });

  it('raw: stores strings as they are with flags 0 and returns bytes on reads', async () => {
    const raw = client({ raw: true });
    await raw.set('opt:raw', 'plain text');
    expect(await stored('opt:raw')).toEqual({ flags: 0, bytes: Buffer.from('plain text') });
    expect(await raw.get('opt:raw')).toEqual(Buffer.from('plain text'));
    expect(await client({}).get('opt:raw')).toBe('plain text');
  });

  it('digest: shortens long keys with the given digest instead of MD5', async () => {
    const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
    const custom = client({ digest: sha1 });
    const key = 'k'.repeat(300);
    await custom.set(key, 'long');
    expect((await stored(`${'k'.repeat(249 - 5 - 40)}:md5:${sha1(key)}`)).bytes).toEqual(Buffer.from('"long"'));
    expect(await custom.get(key)).toBe('long');
  });

  it('socketTimeout: a reply later than it fails with a TimeoutError', async () => {
    const proxy: FaultProxy = await startFaultProxy(memcached);
    const quick = new Client(proxy.address, { socketTimeout: 0.1 });
    await quick.set('opt:timeout', 1);
    proxy.set({ replyDelay: 300 });
    await expect(quick.get('opt:timeout')).rejects.toBeInstanceOf(TimeoutError);
    await quick.close();
    await proxy.close();
  });
});

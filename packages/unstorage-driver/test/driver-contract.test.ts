import { Client, type ProtocolName } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { createStorage, type Storage } from 'unstorage';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dalliDriver, KeysUnsupportedError } from '../src/index.ts';

// unstorage 1.17.6 does not ship its driver test suite (test/drivers/utils.ts in its repository).
// These are that suite's checks, in our own words, run through createStorage against a real
// memcached in every dialect. The one difference is by design: getKeys() rejects instead of
// listing, so the suite's "getKeys" checks become checks that it refuses, and "empty after
// clear" is shown by reads.
let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await memcached.stop();
});

describe.each(['binary', 'meta', 'text'] satisfies ProtocolName[])('unstorage driver contract (%s)', (protocol) => {
  let client: Client;
  let storage: Storage;
  beforeAll(() => {
    client = new Client(memcached.address, { protocol });
    storage = createStorage({ driver: dalliDriver({ servers: client, base: `contract-${protocol}` }) });
  });
  afterEach(async () => {
    await storage.clear();
  });
  afterAll(async () => {
    await storage.dispose();
    await client.close();
  });

  it('restores a snapshot and reads it back', async () => {
    const { restoreSnapshot } = await import('unstorage');
    await restoreSnapshot(storage, { initial: 'works' });
    expect(await storage.getItem('initial')).toBe('works');
  });

  it('starts empty: hasItem false, getItem null', async () => {
    expect(await storage.hasItem('s1:a')).toBe(false);
    expect(await storage.getItem('s2:a')).toBeNull();
  });

  it('sets items, ignoring the query string of a key', async () => {
    await storage.setItem('s1:a', 'test_data');
    await storage.setItem('s3:a?q=1', 'test_data');
    expect(await storage.hasItem('s1:a')).toBe(true);
    expect(await storage.getItem('s1:a')).toBe('test_data');
    expect(await storage.getItem('s3:a?q=2')).toBe('test_data');
  });

  it('refuses getKeys with a typed error instead of an incomplete list', async () => {
    await storage.setItem('s1:a', 'test_data');
    const refusal = storage.getKeys('s1');
    await expect(refusal).rejects.toBeInstanceOf(KeysUnsupportedError);
    await expect(refusal).rejects.toMatchObject({ code: 'ERR_DALLI_KEYS_UNSUPPORTED' });
  });

  it('serializes objects, primitives and toJSON() values once, as unstorage does', async () => {
    await storage.setItem('/data/test.json', { json: 'works' });
    await storage.setItem('/data/true.json', true);
    await storage.setItem('/data/serialized.json', { toJSON: () => ({ serializedObj: 'works' }) });
    expect(await storage.getItem('/data/test.json')).toEqual({ json: 'works' });
    expect(await storage.getItem('/data/true.json')).toBe(true);
    expect(await storage.getItem('/data/serialized.json')).toEqual({ serializedObj: 'works' });
    // What memcached holds is unstorage's JSON text, not JSON of JSON.
    expect(await storage.getItemRaw('/data/test.json').then(String)).toBe('{"json":"works"}');
  });

  it('rejects a value unstorage cannot stringify', async () => {
    class Opaque {}
    await expect(storage.setItem('/data/bad.json', new Opaque())).rejects.toThrow('Cannot stringify value');
  });

  it('round-trips raw bytes', async () => {
    const bytes = new Uint8Array([1, 2, 3, 0, 255]);
    await storage.setItemRaw('/data/raw.bin', bytes);
    const read = await storage.getItemRaw('/data/raw.bin');
    expect(Buffer.isBuffer(read)).toBe(true);
    expect([...read]).toEqual([...bytes]);
    await storage.setItemRaw('/data/raw-arraybuffer.bin', bytes.buffer);
    expect([...(await storage.getItemRaw('/data/raw-arraybuffer.bin'))]).toEqual([...bytes]);
  });

  it('sets several items at once', async () => {
    await storage.setItems([
      { key: 't:1', value: 'test_data_t1' },
      { key: 't:2', value: 'test_data_t2' },
      { key: 't:3', value: 'test_data_t3' },
    ]);
    expect(await storage.getItem('t:1')).toBe('test_data_t1');
    expect(await storage.getItem('t:2')).toBe('test_data_t2');
    expect(await storage.getItem('t:3')).toBe('test_data_t3');
  });

  it('gets several items at once, in order, with null for a miss and keys without their query', async () => {
    await storage.setItem('v3:a?q=1', 'test_data_v3');
    await storage.setItem('v2:a', 'test_data_v2');
    await storage.setItem('v1:a', 'test_data_v1');
    expect(await storage.getItems([{ key: 'v1:a' }, 'v2:a', { key: 'v3:a?q=1' }, 'v4:undefined'])).toEqual([
      { key: 'v1:a', value: 'test_data_v1' },
      { key: 'v2:a', value: 'test_data_v2' },
      { key: 'v3:a', value: 'test_data_v3' },
      { key: 'v4:undefined', value: null },
    ]);
  });

  it('returns falsy values as stored', async () => {
    await storage.setItem('zero', 0);
    await storage.setItem('my-false-flag', false);
    await storage.setItem('empty', '');
    expect(await storage.getItem('zero')).toBe(0);
    expect(await storage.getItem('my-false-flag')).toBe(false);
    expect(await storage.getItem('empty')).toBe('');
    expect(await storage.hasItem('empty')).toBe(true);
  });

  it('removes an item', async () => {
    await storage.setItem('s1:a', 'test_data');
    await storage.removeItem('s1:a', false);
    expect(await storage.hasItem('s1:a')).toBe(false);
    expect(await storage.getItem('s1:a')).toBeNull();
  });

  it('clears everything, and clearing an empty storage works too', async () => {
    await storage.setItems([
      { key: 'c:1', value: 1 },
      { key: 'c:d:2', value: 2 },
      { key: 'top', value: 3 },
    ]);
    await storage.clear();
    expect(await storage.getItems(['c:1', 'c:d:2', 'top'])).toEqual([
      { key: 'c:1', value: null },
      { key: 'c:d:2', value: null },
      { key: 'top', value: null },
    ]);
    await storage.clear();
    expect(await storage.hasItem('top')).toBe(false);
  });

  it('keeps keys that memcached refuses as they are (spaces, control characters, 300 bytes)', async () => {
    const long = `deep:${'é'.repeat(150)}`;
    await storage.setItem('with space:tab\there', 'spaced');
    await storage.setItem(long, 'long');
    expect(await storage.getItem('with space:tab\there')).toBe('spaced');
    expect(await storage.getItem('with space:tab here')).toBeNull();
    expect(await storage.getItem(long)).toBe('long');
  });
});

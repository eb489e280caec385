import { freePort, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  ClosedError,
  ConnectionError,
  InvalidArgumentError,
  InvalidKeyError,
  ValueTooLargeError,
} from '../../src/index.ts';

let memcached: MemcachedProcess;
let client: Client;

beforeAll(async () => {
  memcached = await startMemcached();
  client = new Client(memcached.address, { valueMaxBytes: 1000 });
});
afterAll(async () => {
  await client.close();
  await memcached.stop();
});

describe('Client bad input', () => {
  it.each([
    ['an empty key', ''],
    ['a key with a space', 'a b'],
    ['a key with a newline', 'a\nb'],
    ['a 251-byte key', 'k'.repeat(251)],
  ])('rejects %s with an InvalidKeyError and keeps the connection working', async (_, key) => {
    const neighbour = client.set('neighbour', 'safe');
    await expect(client.get(key)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(client.set(key, 'v')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(client.delete(key)).rejects.toBeInstanceOf(InvalidKeyError);
    expect(await neighbour).toBe(true);
    expect(await client.get('neighbour')).toBe('safe');
  });

  it('rejects a non-string key with a typed error, not a TypeError', async () => {
    await expect(client.get(42 as unknown as string)).rejects.toMatchObject({ code: 'ERR_DALLI_INVALID_KEY' });
  });

  it('rejects a value over valueMaxBytes before sending it', async () => {
    const error = await client.set('big', 'x'.repeat(2000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueTooLargeError);
    expect((error as Error).message).not.toContain('xxxx');
    expect(await client.get('big')).toBeUndefined();
  });

  it('rejects a value JSON cannot represent', async () => {
    await expect(client.set('fn', () => 1)).rejects.toBeInstanceOf(InvalidArgumentError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    await expect(client.set('cycle', cycle)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.set('bigint', 1n)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await client.set('after', 1)).toBe(true);
  });

  it.each([
    ['negative', -1],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
  ])('rejects a %s TTL', async (_, ttl) => {
    await expect(client.set('ttl', 1, ttl)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses an unknown option and a bad option value at construction', () => {
    expect(() => new Client(memcached.address, { socketTimout: 1 } as never)).toThrow(/unknown option "socketTimout"/);
    expect(() => new Client(memcached.address, { socketTimeout: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Client(memcached.address, { valueMaxBytes: 1.5 })).toThrow(InvalidArgumentError);
  });

  it('refuses a server string it cannot parse, naming it', () => {
    expect(() => new Client('127.0.0.1:99999')).toThrow(/cannot parse server "127.0.0.1:99999"/);
    expect(() => new Client('')).toThrow(InvalidArgumentError);
    expect(() => new Client('a,,b')).toThrow(InvalidArgumentError);
  });

  it('rejects with a ConnectionError naming server and operation when nothing listens', async () => {
    const port = await freePort();
    const nobody = new Client(`127.0.0.1:${port}`);
    const error = await nobody.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain(`get on 127.0.0.1:${port}`);
    await nobody.close();
  });

  it('rejects operations after close with a ClosedError', async () => {
    const closing = new Client(memcached.address);
    await closing.set('k', 1);
    await closing.close();
    await expect(closing.get('k')).rejects.toBeInstanceOf(ClosedError);
  });

  it('rejects at once when the AbortSignal has already fired, sending nothing', async () => {
    const signal = AbortSignal.abort();
    await expect(client.get('k', { signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a per-operation timeout that is not a positive number', async () => {
    await expect(client.get('k', { timeout: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

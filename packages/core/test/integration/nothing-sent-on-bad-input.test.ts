import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError, InvalidKeyError, ValueTooLargeError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

/**
 * A call with one bad argument among good ones must fail before its first byte, on every server:
 * each server's `bytes_read` grows by exactly what the `stats` calls around it cost.
 */
describe.each(DIALECTS)('%s: bad arguments to a call that reaches several servers', (protocol) => {
  let servers: MemcachedProcess[];
  let client: Client;

  beforeAll(async () => {
    servers = await Promise.all([startMemcached(), startMemcached()]);
    client = new Client(
      servers.map((server) => server.address),
      { protocol, valueMaxBytes: 64 * 1024, compress: false },
    );
    // Keys on both servers, so a half-sent batch would show.
    await client.setMulti(Array.from({ length: 20 }, (_, i) => [`good:${i}`, i] as const));
  });
  afterAll(async () => {
    await client.close();
    await Promise.all(servers.map((server) => server.stop()));
  });

  /** Bytes each server has read, by name. */
  async function bytesRead(): Promise<number[]> {
    const stats = await client.stats();
    return servers.map((server) => Number(stats[server.address]?.bytes_read));
  }

  /** Runs `call`, expecting it to reject with `type`, and returns the bytes each server read for it. */
  async function bytesSentBy(call: () => Promise<unknown>, type: new (...args: never[]) => Error): Promise<number[]> {
    const before = await bytesRead();
    const baseline = await bytesRead();
    await expect(call()).rejects.toBeInstanceOf(type);
    const after = await bytesRead();
    // (after - baseline) - (baseline - before): what the call added beyond one stats round.
    return servers.map((_, i) => (after[i] as number) - 2 * (baseline[i] as number) + (before[i] as number));
  }

  const goodKeys = Array.from({ length: 20 }, (_, i) => `good:${i}`);

  it.each([
    [
      'flush(2 ** 33): the second server would get a delay past 2106',
      () => client.flush(2 ** 33),
      InvalidArgumentError,
    ],
    ['flush(NaN)', () => client.flush(Number.NaN), InvalidArgumentError],
    ['stats with an unknown group', () => client.stats('no such group!'), InvalidArgumentError],
    ['version with a timeout of 0', () => client.version({ timeout: 0 }), InvalidArgumentError],
    ['getMulti with an empty key last', () => client.getMulti([...goodKeys, '']), InvalidKeyError],
    ['deleteMulti with a key holding a space', () => client.deleteMulti([...goodKeys, 'a b']), InvalidKeyError],
    [
      'setMulti with a value JSON cannot represent last',
      () => client.setMulti([...goodKeys.map((key) => [key, 1] as const), ['bad', 1n]]),
      InvalidArgumentError,
    ],
    [
      'setMulti with a value over valueMaxBytes last',
      () => client.setMulti([...goodKeys.map((key) => [key, 1] as const), ['big', 'x'.repeat(70 * 1024)]]),
      ValueTooLargeError,
    ],
    [
      'setMulti with a bad key last',
      () => client.setMulti([...goodKeys.map((key) => [key, 1] as const), ['', 1]]),
      InvalidKeyError,
    ],
  ] as const)('%s: nothing is sent to any server', async (_, call, type) => {
    expect(await bytesSentBy(call, type)).toEqual([0, 0]);
  });
});

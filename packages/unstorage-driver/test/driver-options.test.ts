import { Client, ClosedError, InvalidArgumentError } from '@dalli/core';
import { freePort, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { createStorage } from 'unstorage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dalliDriver } from '../src/index.ts';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await memcached.stop();
});

it('refuses clientOptions beside a shared client, and an empty base, before connecting', () => {
  const client = new Client(memcached.address);
  expect(() => dalliDriver({ servers: client, clientOptions: { protocol: 'meta' } })).toThrow(InvalidArgumentError);
  expect(() => dalliDriver({ servers: memcached.address, base: '' })).toThrow(InvalidArgumentError);
  return client.close();
});

it('dispose() closes a client the driver created and leaves a shared one open', async () => {
  const own = dalliDriver({ servers: memcached.address });
  const storage = createStorage({ driver: own });
  await storage.setItem('k', 'v');
  await storage.dispose();
  await expect(own.getInstance?.().get('anything')).rejects.toBeInstanceOf(ClosedError);

  const client = new Client(memcached.address);
  const shared = createStorage({ driver: dalliDriver({ servers: client }) });
  await shared.dispose();
  expect(await client.set('still-open', 1)).toBe(true);
  await client.close();
});

it('a failure reaches the caller as the typed error, never as a miss', async () => {
  const port = await freePort();
  const driver = dalliDriver({ servers: `127.0.0.1:${port}`, clientOptions: { socketTimeout: 0.2 } });
  const storage = createStorage({ driver });
  await expect(storage.getItem('k')).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
  await expect(storage.hasItem('k')).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
  await expect(storage.setItem('k', 'v')).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
  await storage.dispose();
});

it('refuses raw values that are not bytes or strings with a typed error', async () => {
  const storage = createStorage({ driver: dalliDriver({ servers: memcached.address }) });
  await expect(storage.setItemRaw('k', { not: 'bytes' })).rejects.toBeInstanceOf(InvalidArgumentError);
  await storage.setItemRaw('text', 'plain text');
  expect(String(await storage.getItemRaw('text'))).toBe('plain text');
  await storage.dispose();
});

import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { createStorage, type Driver, prefixStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { dalliDriver } from '../src/index.ts';

let memcached: MemcachedProcess;
let client: Client;
let storage: Storage;
let driver: Driver;

beforeAll(async () => {
  memcached = await startMemcached();
  client = new Client(memcached.address, { protocol: 'meta' });
  // refresh: 0, so each test starts from the tokens in memcached whatever another instance cleared.
  driver = dalliDriver({ servers: client, base: 'scoped', refresh: 0 });
  storage = createStorage({ driver });
});
afterAll(async () => {
  await client.close();
  await memcached.stop();
});
beforeEach(async () => {
  await storage.clear();
  await storage.setItems(['a', 'a:b', 'a:b:c', 'a:b:d:e', 'a:x', 'ab:c', 'z'].map((key) => ({ key, value: key })));
});

/** The keys of the fixture still readable. */
async function present(): Promise<string[]> {
  const items = await storage.getItems(['a', 'a:b', 'a:b:c', 'a:b:d:e', 'a:x', 'ab:c', 'z']);
  return items.filter(({ value }) => value !== null).map(({ key }) => key);
}

it("the driver's clear(base) drops the keys under the base and no others", async () => {
  await driver.clear?.('a:b:', {});
  // 'a:b' itself is not under 'a:b:', as unstorage's own base filter (filterKeyByBase) has it.
  expect(await present()).toEqual(['a', 'a:b', 'a:x', 'ab:c', 'z']);
  await driver.clear?.('a', {});
  expect(await present()).toEqual(['a', 'ab:c', 'z']);
});

it('clear(base) leaves other apps on the same server alone: no flush_all', async () => {
  await client.set('other-app:session', 'kept', 0);
  await storage.clear();
  expect(await present()).toEqual([]);
  expect(await client.get('other-app:session')).toBe('kept');
  const flushes = await client.stats();
  expect(Object.values(flushes)[0]?.cmd_flush).toBe('0');
});

it('with refresh: 0, a clear by another driver instance is seen at once, and a key written after it is readable', async () => {
  const reader = createStorage({ driver: dalliDriver({ servers: client, base: 'scoped', refresh: 0 }) });
  const other = createStorage({ driver: dalliDriver({ servers: client, base: 'scoped', refresh: 0 }) });
  expect(await reader.getItem('a:b:c')).toBe('a:b:c');
  expect(await other.getItem('a:b:c')).toBe('a:b:c');
  await other.getMount('').driver.clear?.('a:b:', {});
  expect(await reader.getItem('a:b:c')).toBeNull();
  await reader.setItem('a:b:c', 'again');
  expect(await other.getItem('a:b:c')).toBe('again');
});

it('by default, a clear by another driver instance is seen within refresh (1 s), not before', async () => {
  const reader = createStorage({ driver: dalliDriver({ servers: client, base: 'scoped' }) });
  const other = createStorage({ driver: dalliDriver({ servers: client, base: 'scoped' }) });
  expect(await reader.getItem('a:b:c')).toBe('a:b:c');
  await other.getMount('').driver.clear?.('a:b:', {});
  // Within the second, the reader still uses the generation it read (the trade for ~0 extra gets).
  expect(await reader.getItem('a:b:c')).toBe('a:b:c');
  await new Promise((resolve) => setTimeout(resolve, 1_050));
  expect(await reader.getItem('a:b:c')).toBeNull();
});

it('refuses a refresh that is not a number of milliseconds, 0 or more', () => {
  expect(() => dalliDriver({ servers: client, refresh: -1 })).toThrow(/refresh/);
});

it('drivers with different bases do not see or clear each other', async () => {
  const neighbour = createStorage({ driver: dalliDriver({ servers: client, base: 'neighbour' }) });
  await neighbour.setItem('a:b:c', 'theirs');
  expect(await neighbour.getItem('z')).toBeNull();
  await storage.clear();
  expect(await neighbour.getItem('a:b:c')).toBe('theirs');
});

it("storage.clear() of a mount clears that mount's driver only, beside other mounts", async () => {
  const app = createStorage({ driver: memoryDriver() });
  app.mount('cache', dalliDriver({ servers: client, base: 'scoped' }));
  app.mount('pages', dalliDriver({ servers: client, base: 'pages' }));
  await app.setItem('local:x', 'memory');
  await app.setItem('pages:home', 'html');
  expect(await app.getItem('cache:a:b:c')).toBe('a:b:c');
  await app.clear('cache');
  expect(await app.getItem('cache:a:b:c')).toBeNull();
  expect(await app.getItem('pages:home')).toBe('html');
  expect(await app.getItem('local:x')).toBe('memory');
});

it('unstorage 1.17 does not pass a base inside a mount on to the driver (unjs/unstorage#336): nothing is cleared', async () => {
  const app = createStorage({ driver: memoryDriver() });
  app.mount('cache', dalliDriver({ servers: client, base: 'scoped' }));
  await app.clear('cache:a:b');
  await prefixStorage(app, 'cache:a').clear();
  await storage.clear('a');
  expect(await present()).toEqual(['a', 'a:b', 'a:b:c', 'a:b:d:e', 'a:x', 'ab:c', 'z']);
});

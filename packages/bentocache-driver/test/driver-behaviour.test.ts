import { Client, InvalidArgumentError, type ProtocolName } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DalliL2Driver, dalliDriver } from '../src/index.ts';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await memcached.stop();
});

describe.each(['binary', 'meta', 'text'] satisfies ProtocolName[])('DalliL2Driver (%s)', (protocol) => {
  let client: Client;
  beforeAll(() => {
    client = new Client(memcached.address, { protocol });
  });
  afterAll(() => client.close());

  it("sees another process's clear on its next read, although it remembered the old generation", async () => {
    const here = new DalliL2Driver({ servers: client, prefix: `clear-${protocol}` });
    const elsewhere = new DalliL2Driver({ servers: client, prefix: `clear-${protocol}` });
    await here.set('k', 'v');
    expect(await elsewhere.get('k')).toBe('v');
    await here.clear();
    expect(await elsewhere.get('k')).toBeUndefined();
    await elsewhere.set('k', 'again');
    expect(await here.get('k')).toBe('again');
  });

  it("with refresh, another process's clear is seen only once the generation it read is refresh old", async () => {
    const here = new DalliL2Driver({ servers: client, prefix: `refresh-${protocol}` });
    const elsewhere = new DalliL2Driver({ servers: client, prefix: `refresh-${protocol}`, refresh: 300 });
    await here.set('k', 'v');
    expect(await elsewhere.get('k')).toBe('v');
    await here.clear();
    expect(await elsewhere.get('k')).toBe('v');
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await elsewhere.get('k')).toBeUndefined();
  });

  it('gives a value to exactly one of many concurrent pulls where the dialect has a conditional delete', async () => {
    const driver = new DalliL2Driver({ servers: client, prefix: `pull-${protocol}` });
    await driver.set('ticket', 'only-once');
    const pulled = await Promise.all(Array.from({ length: 10 }, () => driver.pull('ticket')));
    const winners = pulled.filter((value) => value !== undefined);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    if (protocol !== 'text') expect(winners).toEqual(['only-once']);
    expect(await driver.get('ticket')).toBeUndefined();
  });
});

it('the factory passes bentocache its options and the driver leaves a shared client open', async () => {
  const client = new Client(memcached.address);
  const created = dalliDriver({ servers: client });
  const driver = created.factory({ ...created.options, prefix: 'factory' });
  await driver.set('k', 'v', 60_000);
  await driver.namespace('ns').disconnect();
  await driver.disconnect();
  expect(await client.set('still-open', 1)).toBe(true);
  expect(() => new DalliL2Driver({ servers: client, clientOptions: { protocol: 'meta' } })).toThrow(
    InvalidArgumentError,
  );
  await client.close();
});

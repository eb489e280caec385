import { Client, InvalidArgumentError } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import type { SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DalliSessionStore, type DalliSessionStoreOptions } from '../src/index.ts';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

describe('options', () => {
  it.each([
    ['hosts', { hosts: ['127.0.0.1:11211'] }],
    ['host', { host: '127.0.0.1', port: 11211 }],
    ['secret', { secret: 'keyboard cat' }],
    ['scanCount', { scanCount: 100 }],
  ])(
    'refuses the misnamed option %s with InvalidArgumentError, instead of connecting to 127.0.0.1:11211',
    (name, options) => {
      const make = () => new DalliSessionStore(options as DalliSessionStoreOptions);
      expect(make).toThrow(InvalidArgumentError);
      expect(make).toThrow(`unknown option "${name}"`);
    },
  );

  it.each([
    ['prefix', { prefix: 3 }],
    ['ttl', { ttl: '60' }],
    ['disableTouch', { disableTouch: 'yes' }],
    ['serializer', { serializer: JSON.stringify }],
    ['client', { client: { get() {} } }],
  ])('refuses %s of the wrong type', (name, options) => {
    expect(() => new DalliSessionStore(options as unknown as DalliSessionStoreOptions)).toThrow(
      `option "${name}" has the wrong type`,
    );
  });

  it('refuses a client given together with servers', () => {
    const client = new Client(memcached.address);
    expect(() => new DalliSessionStore({ client, servers: memcached.address })).toThrow(InvalidArgumentError);
    return client.close();
  });

  it('shows its settings as properties, as connect-redis and connect-memcached users expect', async () => {
    const serializer = { stringify: JSON.stringify, parse: JSON.parse };
    const store = new DalliSessionStore({
      servers: memcached.address,
      prefix: 'app:sess:',
      ttl: 600,
      disableTouch: true,
      disableTTL: false,
      serializer,
    });
    expect(store).toMatchObject({ prefix: 'app:sess:', ttl: 600, disableTouch: true, disableTTL: false, serializer });
    expect(new DalliSessionStore({ servers: memcached.address })).toMatchObject({
      prefix: 'sess:',
      ttl: undefined,
      disableTouch: false,
      disableTTL: false,
      serializer: JSON,
    });
    await store.close();
  });
});

describe('keys', () => {
  it('keeps a session under <prefix><sid>, so an operator can find it by id', async () => {
    const store = new DalliSessionStore({ servers: memcached.address, prefix: 'app:sess:' });
    const raw = new Client(memcached.address);
    await store.set('abc123', {
      cookie: { originalMaxAge: null, expires: null },
      user: 'ada',
    } as unknown as SessionData);
    expect(store.keyOf('abc123')).toBe('app:sess:abc123');
    expect(String(await raw.get('app:sess:abc123', { raw: true }))).toContain('"user":"ada"');
    await Promise.all([store.close(), raw.close()]);
  });
});

import type { ProtocolName } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { registerCacheDriverTestSuite } from 'bentocache/test_suite';
import { afterAll, beforeAll, describe } from 'vitest';
import { DalliL2Driver } from '../src/index.ts';
import { japaOnVitest } from './japa-on-vitest.ts';

// bentocache ships its driver conformance suite (bentocache/test_suite, the one its Redis,
// DynamoDB, file and database drivers pass); it runs here unchanged against real memcached, in
// every dialect, each driver with a client of its own that its disconnect() closes.
let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await memcached.stop();
});

describe.each(['binary', 'meta', 'text'] satisfies ProtocolName[])("bentocache's driver suite (%s)", (protocol) => {
  const { test, group } = japaOnVitest();
  registerCacheDriverTestSuite({
    test: test as never,
    group: group as never,
    createDriver: (options) =>
      new DalliL2Driver({
        servers: memcached.address,
        clientOptions: { protocol },
        prefix: `japa-${protocol}`,
        ...options,
      }),
  });
});

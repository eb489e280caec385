import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import keyvTestSuite from '@keyv/test-suite';
import Keyv from 'keyv';
import * as test from 'vitest';
import { KeyvDalliV5 } from '../src/index.ts';

// Keyv's own conformance suite (38 tests, namespaces included) against a real memcached.
let memcached: MemcachedProcess;
const stores: KeyvDalliV5[] = [];

test.beforeAll(async () => {
  memcached = await startMemcached();
});
test.afterAll(async () => {
  await Promise.all(stores.map((store) => store.disconnect()));
  await memcached.stop();
});

keyvTestSuite(test, Keyv, () => {
  const store = new KeyvDalliV5(memcached.address);
  stores.push(store);
  return store;
});

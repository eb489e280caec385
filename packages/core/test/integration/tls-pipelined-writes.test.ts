import { type MemcachedProcess, startMemcached, type TlsFiles } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

// memcached before 1.6.39 (fixed in 96e05b75f; Debian ships 1.6.18) stops answering a TLS
// connection with a deep pipeline of requests buffered. Without the connection's write window
// over TLS, each of these times out.
describe.each(DIALECTS)('%s protocol over TLS with a deep pipeline', (protocol) => {
  let memcached: MemcachedProcess;
  let client: Client;

  beforeAll(async () => {
    memcached = await startMemcached({ kind: 'tls' });
  });
  afterAll(() => memcached.stop());
  // A client per test, so that one stalled connection cannot fail the next test.
  beforeEach(() => {
    const tls = memcached.tls as TlsFiles;
    client = new Client(memcached.address, {
      protocol,
      socketTimeout: 2,
      socketMaxFailures: 1,
      tls: { ca: tls.ca, servername: 'localhost' },
    });
  });
  afterEach(() => client.close());

  const values = (count: number, size: number): [string, string][] =>
    Array.from({ length: count }, (_, i) => [`tls:deep:${size}:${i}`, `${i}:`.padEnd(size, 'v')]);

  it('stores a setMulti of 1,000 values of 1 KB and reads them back', async () => {
    const entries = values(1000, 1000);
    await client.setMulti(entries);
    expect(await client.getMulti(entries.map(([key]) => key))).toEqual(new Map(entries));
  });

  it('stores 1,000 values of 1 KB set one by one in the same tick', async () => {
    const entries = values(1000, 1000);
    const stored = await Promise.all(entries.map(([key, value]) => client.set(key, value)));
    expect(stored).toEqual(entries.map(() => true));
    expect(await client.get(entries[999]?.[0] as string)).toBe(entries[999]?.[1]);
  });
});

import { type MemcachedKind, type MemcachedProcess, startMemcached, type TlsFiles } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientOptions, type ProtocolName } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

// Every dialect over every transport memcached offers, and the text-only server (-B ascii, a
// stand-in for a proxy or ElastiCache Serverless) for the dialects that are not binary.
const setups: [ProtocolName, MemcachedKind][] = DIALECTS.flatMap((protocol) =>
  (['plain', 'tls', 'unix', 'ascii-only'] as const)
    .filter((kind) => !(protocol === 'binary' && kind === 'ascii-only'))
    .map((kind): [ProtocolName, MemcachedKind] => [protocol, kind]),
);

describe.each(setups)('%s protocol over %s memcached', (protocol, kind) => {
  let memcached: MemcachedProcess;
  let client: Client;

  beforeAll(async () => {
    memcached = await startMemcached({ kind });
    const tls = memcached.tls as TlsFiles | undefined;
    const options: ClientOptions = { protocol, ...(tls ? { tls: { ca: tls.ca, servername: 'localhost' } } : {}) };
    client = new Client(memcached.address, options);
  });
  afterAll(async () => {
    await client.close();
    await memcached.stop();
  });

  it('stores, reads, replaces conditionally and deletes', async () => {
    expect(await client.set('t:k', { n: 1 })).toBe(true);
    expect(await client.get('t:k')).toEqual({ n: 1 });
    const read = await client.gets('t:k');
    expect(await client.set('t:k', { n: 2 }, 0, { cas: read?.cas })).toBe(true);
    expect(await client.set('t:k', { n: 3 }, 0, { cas: read?.cas })).toBe(false);
    expect(await client.add('t:k', 0)).toBe(false);
    expect(await client.delete('t:k')).toBe(true);
    expect(await client.get('t:k')).toBeUndefined();
  });

  it('counts with an initial value, and touches', async () => {
    expect(await client.incr('t:n', 5, 60, 10)).toBe(10n);
    expect(await client.incr('t:n', 5)).toBe(15n);
    expect(await client.decr('t:n', 20)).toBe(0n);
    expect(await client.touch('t:n', 30)).toBe(true);
    expect(await client.gat('t:missing', 30)).toBeUndefined();
  });

  it('runs multi-key operations, large values and server commands', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => [`t:m:${i}`, 'x'.repeat(i * 10)] as const);
    await client.setMulti(entries);
    const found = await client.getMulti([...entries.map(([key]) => key), 't:m:absent']);
    expect(found).toEqual(new Map(entries));
    expect(await client.set('t:big', 'y'.repeat(500_000))).toBe(true);
    expect(await client.get('t:big')).toHaveLength(500_000);
    const deleted = await client.deleteMulti(['t:m:1', 't:m:absent']);
    expect(deleted).toEqual(
      new Map([
        ['t:m:1', true],
        ['t:m:absent', false],
      ]),
    );
    expect((await client.version())[memcached.address]).toBe('1.6.18');
    expect((await client.stats())[memcached.address]?.pid).toBe(String(memcached.pid));
    expect(await client.flush()).toEqual({ [memcached.address]: true });
    expect(await client.get('t:big')).toBeUndefined();
  });
});

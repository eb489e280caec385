import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ProtocolName } from '../../src/index.ts';

let servers: MemcachedProcess[];
let addresses: string[];

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  addresses = servers.map((server) => server.address);
});
afterAll(() => Promise.all(servers.map((server) => server.stop())));

const entries: [string, unknown][] = [
  ['x:plain', 'text'],
  ['x:ключ:日本語', { nested: [1, 'two', null] }],
  ['x:number', 42],
  ['x:big', 'z'.repeat(20_000)],
  ...Array.from({ length: 200 }, (_, i): [string, unknown] => [`x:spread:${i}`, { i }]),
];

const pairs: [ProtocolName, ProtocolName][] = [
  ['meta', 'binary'],
  ['binary', 'meta'],
  ['text', 'binary'],
  ['binary', 'text'],
  ['meta', 'text'],
];

describe.each(pairs)('written in %s, read in %s', (writer, reader) => {
  it('finds every value, flags and compression included, on the same server of a 3-server ring', async () => {
    const namespace = `${writer}-to-${reader}`;
    const write = new Client(addresses, { protocol: writer, namespace });
    const read = new Client(addresses, { protocol: reader, namespace });
    await write.setMulti(entries);
    await write.set('x:raw', Buffer.from([0, 1, 2, 255]), 0, { raw: true });
    const found = await read.getMulti(entries.map(([key]) => key));
    expect(found).toEqual(new Map(entries));
    expect(await read.get('x:raw', { raw: true })).toEqual(Buffer.from([0, 1, 2, 255]));
    for (const [key] of entries.slice(0, 20)) expect(read.locate(key).server).toBe(write.locate(key).server);
    await Promise.all([write.close(), read.close()]);
  });
});

import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { call, memjsClient, type NodeMemcached, nodeMemcached } from '../support/npm-peers.ts';

// Values cross between the real peers from npm (memjs@1.3.2, memcached@2.2.2) and us, both ways.
let server: MemcachedProcess;
const clients: Client[] = [];
const client = (options: object): Client => {
  const made = new Client(server.address, options);
  clients.push(made);
  return made;
};

beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await Promise.all(clients.map((made) => made.close()));
  await server.stop();
});

const binary = Buffer.from([0x00, 0xff, 0x80, 0x0d, 0x0a, 0x5c, 0x0a, 0xc3, 0x28, 0x7f]);
/** A key from a test case's label. */
const slug = (label: string): string => label.replace(/\W+/g, '-');
const object = { user: 'zoë', roles: ['admin'], visits: 3, nested: { ok: true, none: null } };

describe("valueFormat 'memjs'", () => {
  // memjs stores what it is given as bytes (flags 0): apps pass text, JSON text or Buffers.
  const given: [string, string | Buffer][] = [
    ['a string', 'héllo wörld ✓'],
    ['JSON text of an object', JSON.stringify(object)],
    ['a Buffer of arbitrary bytes', binary],
    ['a number as text', String(12345.5)],
  ];

  it.each(given)('reads %s written by memjs as the exact bytes memjs returns', async (_, value) => {
    const peer = memjsClient([server.address]);
    try {
      await peer.set(`memjs:${slug(_)}`, value, {});
    } finally {
      peer.close();
    }
    const read = await client({ valueFormat: 'memjs' }).get(`memjs:${slug(_)}`);
    expect(read).toEqual(Buffer.from(value));
  });

  it.each([
    ['a string', 'héllo wörld ✓', Buffer.from('héllo wörld ✓')],
    ['an object, as JSON text', object, Buffer.from(JSON.stringify(object))],
    ['a Buffer', binary, binary],
    ['a number, in decimal', 12345.5, Buffer.from('12345.5')],
  ])('writes %s that memjs reads back equal', async (_, value, expected) => {
    await client({ valueFormat: 'memjs' }).set(`ours-memjs:${slug(_)}`, value);
    const peer = memjsClient([server.address]);
    try {
      const { value: read, flags } = await peer.get(`ours-memjs:${slug(_)}`);
      expect(read).toEqual(expected);
      expect(flags?.readUInt32BE(0)).toBe(0);
    } finally {
      peer.close();
    }
  });
});

describe("valueFormat 'memcached' (memcached@2.2.2)", () => {
  const given: [string, unknown][] = [
    ['a string', 'héllo wörld ✓'],
    ['a string with CR and LF', 'line one\r\nline two\n\\r end'],
    ['a JSON object', object],
    ['a JSON array', [1, 'two', { three: 3 }]],
    ['a Buffer of arbitrary bytes', binary],
    ['an integer', 42],
    ['a fraction', -0.125],
  ];

  async function withPeer<T>(run: (peer: NodeMemcached) => Promise<T>): Promise<T> {
    const peer = nodeMemcached([server.address]);
    try {
      return await run(peer);
    } finally {
      peer.end();
    }
  }

  it.each(given)('reads %s written by memcached@2.2.2 back equal', async (_, value) => {
    await withPeer((peer) => call((done) => peer.set(`node:${slug(_)}`, value, 0, done)));
    expect(await client({ valueFormat: 'memcached' }).get(`node:${slug(_)}`)).toEqual(value);
  });

  it.each(given)('writes %s that memcached@2.2.2 reads back equal', async (_, value) => {
    await client({ valueFormat: 'memcached' }).set(`ours-node:${slug(_)}`, value);
    expect(await withPeer((peer) => call((done) => peer.get(`ours-node:${slug(_)}`, done)))).toEqual(value);
  });

  it('reads memcached@2.2.2 values while writing Dalli’s format with { read, write }', async () => {
    await withPeer((peer) => call((done) => peer.set('node:mixed', object, 0, done)));
    const mixed = client({ valueFormat: { read: 'memcached', write: 'dalli' } });
    expect(await mixed.get('node:mixed')).toEqual(object);
    await mixed.set('ours:dalli-json', object);
    expect(await client({}).get('ours:dalli-json')).toEqual(object);
    expect(await mixed.get('ours:dalli-json')).toEqual(object);
  });

  it('is needed: under the default Dalli flags, a memcached@2.2.2 JSON value (flag 2) fails to read', async () => {
    await withPeer((peer) => call((done) => peer.set('node:default', object, 0, done)));
    await expect(client({}).get('node:default')).rejects.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { maskCredentials, parseServerEntry } from '../../../src/cluster/server-string.ts';
import { InvalidArgumentError } from '../../../src/errors.ts';

describe('parseServerEntry', () => {
  it.each([
    ['localhost', { name: 'localhost:11211', address: { host: 'localhost', port: 11211 }, weight: 1 }],
    ['127.0.0.1:22122', { name: '127.0.0.1:22122', address: { host: '127.0.0.1', port: 22122 }, weight: 1 }],
    ['127.0.0.1:22122:3', { name: '127.0.0.1:22122', address: { host: '127.0.0.1', port: 22122 }, weight: 3 }],
    ['[::1]', { name: '::1:11211', address: { host: '::1', port: 11211 }, weight: 1 }],
    ['[::1]:11212:2', { name: '::1:11212', address: { host: '::1', port: 11212 }, weight: 2 }],
    [
      '/var/run/memcached.sock',
      { name: '/var/run/memcached.sock', address: { path: '/var/run/memcached.sock' }, weight: 1 },
    ],
    ['/tmp/m.sock:4', { name: '/tmp/m.sock', address: { path: '/tmp/m.sock' }, weight: 4 }],
    ['  127.0.0.1:1  ', { name: '127.0.0.1:1', address: { host: '127.0.0.1', port: 1 }, weight: 1 }],
  ])('parses %s', (entry, expected) => {
    expect(parseServerEntry(entry)).toEqual(expected);
  });

  it('takes SASL credentials from a memcached:// URI, percent-decoded', () => {
    const entry = parseServerEntry('memcached://user:p%40ss@127.0.0.1:22122');
    expect(entry).toMatchObject({ name: '127.0.0.1:22122', address: { host: '127.0.0.1', port: 22122 }, weight: 1 });
    expect(entry.credentials?.username).toBe('user');
    expect(entry.credentials?.reveal()).toBe('p@ss');
    expect(JSON.stringify(entry)).not.toContain('p@ss');
    expect(parseServerEntry('memcached://[::1]')).toMatchObject({
      name: '::1:11211',
      address: { host: '::1', port: 11211 },
    });
  });

  it.each([
    ['a bad port', '127.0.0.1:99999'],
    ['port 0', '127.0.0.1:0'],
    ['a zero weight', '127.0.0.1:11211:0'],
    ['a socket with a port and a weight', '/tmp/s.sock:1:2'],
    ['an IPv6 address without brackets', '::1:11211'],
    ['empty brackets', '[]:11211'],
    ['spaces inside', 'my host:11211'],
    ['another scheme', 'redis://127.0.0.1'],
  ])('refuses %s, naming the entry', (_, entry) => {
    expect(() => parseServerEntry(entry)).toThrow(InvalidArgumentError);
    expect(() => parseServerEntry(entry)).toThrow(`"${entry.trim()}"`);
  });

  it('never puts the password of an unparsable URI in the error', () => {
    const error = (() => {
      try {
        parseServerEntry('memcached://admin:hunter2@127.0.0.1:11211/bad');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toContain('memcached://***@127.0.0.1:***');
    expect(error?.message).not.toContain('hunter2');
    expect(maskCredentials('memcached://u:secret@h')).toBe('memcached://***@h');
  });
});

it.each([
  ['a non-numeric weight', '127.0.0.1:11211:x', '127.0.0.1:11211:***'],
  ['a URI with a path', 'memcached://127.0.0.1:11211/db', 'memcached://127.0.0.1:***'],
])('refuses %s, naming the entry with anything after a colon that is not a number masked', (_, entry, shown) => {
  expect(() => parseServerEntry(entry)).toThrow(`"${shown}"`);
});

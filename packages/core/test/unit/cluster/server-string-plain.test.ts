import fc from 'fast-check';
import { expect, it } from 'vitest';
import { plainServerList, serverList } from '../../../src/cluster/server-list.ts';
import { isPlainHostPort, parseServerEntry } from '../../../src/cluster/server-string.ts';

/**
 * A fleet's plain `host:port` entries are only checked in the constructor (one regex test each)
 * and read later, in slices: whatever the check lets through must read without fail, named as
 * written, and the check must let through every plain entry the full grammar reads so.
 */
const piece = fc.oneof(
  fc.constantFrom('a', 'Z', '.', '-', '_', ':', '0', '00', ' ', 'é', '/', '@', '[', ',', '://'),
  fc.integer({ min: 0, max: 70_000 }).map(String),
  fc.constantFrom('65535', '65536', '127.0.0.1', 'cache-3.example.com'),
);

it('an entry passes the plain check only if the full grammar reads it as host:port, weight 1, named as written', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
      const entry = pieces.join('');
      if (!isPlainHostPort(entry)) return;
      const colon = entry.indexOf(':');
      expect(parseServerEntry(entry)).toEqual({
        name: entry,
        address: { host: entry.slice(0, colon), port: Number(entry.slice(colon + 1)) },
        weight: 1,
      });
    }),
    { numRuns: 5_000 },
  );
});

it('every host:port with a port from 1 to 65535 written plainly passes it', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), fc.integer({ min: 1, max: 65_535 }), (host, port) => {
      expect(isPlainHostPort(`${host}:${port}`)).toBe(true);
    }),
  );
});

it.each([
  ['port 0', '127.0.0.1:0'],
  ['port 65536', '127.0.0.1:65536'],
  ['a leading zero', '127.0.0.1:011211'],
  ['a weight', '127.0.0.1:11211:2'],
  ['no port', '127.0.0.1'],
  ['spaces', ' 127.0.0.1:11211'],
])('%s is left to the full grammar', (_, entry) => {
  expect(isPlainHostPort(entry)).toBe(false);
});

it('takes a list as plain only past the threshold, with every entry a plain string, as a copy', () => {
  const fleet = Array.from({ length: 101 }, (_, i) => `127.0.0.${(i % 250) + 1}:${11211 + i}`);
  const plain = plainServerList(fleet, 100);
  expect(plain).toEqual(serverList(fleet));
  expect(plain).not.toBe(fleet);
  expect(plainServerList(fleet.slice(0, 100), 100)).toBeUndefined();
  expect(plainServerList([...fleet, '127.0.0.1:1,127.0.0.1:2'], 100)).toBeUndefined();
  expect(plainServerList([...fleet, 42], 100)).toBeUndefined();
  expect(plainServerList(fleet.join(','), 0)).toBeUndefined();
});

it('with weights allowed, an entry passes only if the full grammar reads it, named host:port, with its weight', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
      const entry = pieces.join('');
      if (!isPlainHostPort(entry, true)) return;
      const [host, port, weight] = entry.split(':');
      expect(parseServerEntry(entry)).toEqual({
        name: `${host}:${port}`,
        address: { host, port: Number(port) },
        weight: weight === undefined ? 1 : Number(weight),
      });
    }),
    { numRuns: 5_000 },
  );
  expect(isPlainHostPort('cache-1:11211:3', true)).toBe(true);
  expect(isPlainHostPort('cache-1:11211:999999999999999', true)).toBe(true);
  for (const entry of ['cache-1:11211:0', 'cache-1:11211:03', 'cache-1:11211:1000000000000000', 'cache-1:11211:2:']) {
    expect(isPlainHostPort(entry, true)).toBe(false);
  }
});

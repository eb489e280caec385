import { describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { rubyDalliAvailable, runRubyDalli } from '../support/ruby-dalli.ts';

// Ruby's Dalli 3 is the oracle for key placement; the test command installs it. Skipped only on a
// machine without Ruby, and says so.
const describeWithRuby = describe.skipIf(!rubyDalliAvailable);
if (!rubyDalliAvailable) console.warn('Ruby Dalli ring tests skipped: `ruby -e "require \'dalli\'"` failed');

// Server lists are only hashed here, never connected to.
const serverLists: string[][] = [
  ['127.0.0.1:11211', '127.0.0.1:11212'],
  ['127.0.0.1:11211', '127.0.0.2:11211', '127.0.0.3:11211'],
  ['localhost:11211:3', '127.0.0.1:22122:1', '127.0.0.9:33333:2'],
  ['[::1]:11211', '[::1]:11212:2', '/var/run/memcached/a.sock', '/tmp/b.sock:3'],
  Array.from({ length: 10 }, (_, i) => `127.0.1.${i}:${11211 + i}:${1 + (i % 4)}`),
];

/** 2,500 keys per list: short ASCII, unicode (within 250 bytes), long ones Dalli shortens with MD5. */
function keysFor(list: number): string[] {
  return Array.from({ length: 2_500 }, (_, i) => {
    switch (i % 5) {
      case 0:
        return `user:${list}:${i}`;
      case 1:
        return `ключ:${i}:日本語:${list}`;
      case 2:
        return `long:${i}:${'x'.repeat(240 + (i % 50))}`;
      case 3:
        return `😀${i}:${'é'.repeat(i % 60)}`;
      default:
        return `session/${(i * 2654435761) % 4294967296}`;
    }
  });
}

describeWithRuby('the ring agrees with Ruby Dalli', () => {
  it.each([undefined, 'app'])(
    'puts every key on the same server as Dalli (namespace %s), 10,000+ keys',
    (namespace) => {
      const cases = serverLists.map((servers, list) => ({ servers, keys: keysFor(list) }));
      const dalli = runRubyDalli<{ key: string; server: string }[][]>(
        `km = Dalli::KeyManager.new(namespace: ${namespace === undefined ? 'nil' : `'${namespace}'`})
       INPUT.map do |c|
         servers = c['servers'].map { |s| Dalli::Protocol::Binary.new(s, {}) }
         ring = Dalli::Ring.new(servers, {})
         c['keys'].map do |k|
           wire = km.validate_key(k)
           { 'key' => wire, 'server' => ring.send(:server_for_hash_key, Zlib.crc32(wire)).name }
         end
       end`,
        cases,
      );
      let compared = 0;
      cases.forEach(({ servers, keys }, list) => {
        const client = new Client(servers, { namespace });
        const ours = keys.map((key) => {
          const { key: wire, server } = client.locate(key);
          return { key: wire, server };
        });
        expect(ours).toEqual(dalli[list]);
        compared += keys.length;
      });
      expect(compared).toBeGreaterThanOrEqual(10_000);
    },
  );
});

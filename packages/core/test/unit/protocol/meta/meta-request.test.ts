import { describe, expect, it } from 'vitest';
import { type Command, Op } from '../../../../src/protocol/command.ts';
import { metaProtocol } from '../../../../src/protocol/meta/meta-protocol.ts';
import { hex } from '../hex.ts';

function encoded(command: Command, opaque = 7): string {
  const out = Buffer.alloc(metaProtocol.encodeBound(command));
  return out.toString('utf8', 0, metaProtocol.encode(command, opaque, out, 0));
}

// Flags as in memcached's doc/protocol.txt, limited to those 1.6.18 knows.
describe('meta requests', () => {
  it('get asks for the value and flags, with the opaque', () => {
    expect(encoded({ op: Op.get, key: 'foo' })).toBe('mg foo v f k O7\r\n');
  });

  it('a quiet get also asks for the key, so a hit names what it answers', () => {
    expect(encoded({ op: Op.get, key: 'foo', quiet: true }, 9)).toBe('mg foo v f k q O9\r\n');
  });

  it('gets adds the CAS; gat and touch carry the TTL as T', () => {
    expect(encoded({ op: Op.gets, key: 'k' })).toBe('mg k v f c k O7\r\n');
    expect(encoded({ op: Op.gat, key: 'k', expiration: 60 })).toBe('mg k v f k T60 O7\r\n');
    expect(encoded({ op: Op.touch, key: 'k', expiration: 0 })).toBe('mg k T0 O7\r\n');
  });

  it('gats is gat asking for the CAS too', () => {
    expect(encoded({ op: Op.gats, key: 'k', expiration: 60 })).toBe('mg k v f c k T60 O7\r\n');
  });

  it('casOf asks for the CAS and the key, no value (the near cache revalidates with it)', () => {
    expect(encoded({ op: Op.casOf, key: 'k' })).toBe('mg k c k O7\r\n');
  });

  it('writes gets and casOf byte by byte at the offset given, UTF-8 keys and many-digit opaques included', () => {
    const vectors: [Command, number, Buffer][] = [
      // m g ␠ k ␠ v ␠ f ␠ c ␠ k ␠ O 4 2 9 4 9 6 7 2 9 5 \r \n
      [
        { op: Op.gets, key: 'k' },
        4294967295,
        hex('6d 67 20 6b | 20 76 20 66 20 63 20 6b 20 4f | 34 32 39 34 39 36 37 32 39 35 | 0d 0a'),
      ],
      // m g ␠ é (c3 a9) ␠ c ␠ k ␠ O 0 \r \n
      [{ op: Op.casOf, key: 'é' }, 0, hex('6d 67 20 c3 a9 | 20 63 20 6b 20 4f | 30 | 0d 0a')],
      [{ op: Op.casOf, key: 'near:12' }, 31, hex('6d 67 20 6e 65 61 72 3a 31 32 | 20 63 20 6b 20 4f | 33 31 | 0d 0a')],
    ];
    for (const [command, opaque, bytes] of vectors) {
      const out = Buffer.alloc(3 + metaProtocol.encodeBound(command), 0xee);
      const end = metaProtocol.encode(command, opaque, out, 3);
      expect(end).toBe(3 + bytes.length);
      expect(out.subarray(3, end)).toEqual(bytes);
      // Nothing written before the offset or past the end.
      expect(out.subarray(0, 3)).toEqual(Buffer.alloc(3, 0xee));
      expect(out.subarray(end).every((byte) => byte === 0xee)).toBe(true);
    }
  });

  it('getWithMetadata asks for CAS, TTL left, hit before and last access', () => {
    expect(encoded({ op: Op.getWithMetadata, key: 'k' })).toBe('mg k v f c t h l O7\r\n');
  });

  it('set, add and replace carry flags, TTL, CAS and their mode, then the data', () => {
    const value = Buffer.from('World');
    expect(encoded({ op: Op.set, key: 'Hello', value, flags: 0xdeadbeef, expiration: 3600 })).toBe(
      'ms Hello 5 F3735928559 T3600 MS O7\r\nWorld\r\n',
    );
    expect(encoded({ op: Op.add, key: 'k', value: 'é', flags: 1, expiration: 0 })).toBe('ms k 2 F1 T0 ME O7\r\né\r\n');
    expect(encoded({ op: Op.replace, key: 'k', value: 'x', cas: 42n })).toBe('ms k 1 F0 T0 C42 MR O7\r\nx\r\n');
  });

  it('append and prepend leave flags and TTL alone', () => {
    expect(encoded({ op: Op.append, key: 'k', value: 'ab' })).toBe('ms k 2 MA O7\r\nab\r\n');
    expect(encoded({ op: Op.prepend, key: 'k', value: 'ab' })).toBe('ms k 2 MP O7\r\nab\r\n');
  });

  it('a quiet set and a quiet delete end with q', () => {
    expect(encoded({ op: Op.set, key: 'k', value: 'v', quiet: true })).toBe('ms k 1 F0 T0 MS O7 q\r\nv\r\n');
    expect(encoded({ op: Op.delete, key: 'k', quiet: true })).toBe('md k O7 q\r\n');
  });

  it('delete carries a CAS only when one is given (0 means any version)', () => {
    expect(encoded({ op: Op.delete, key: 'k', cas: 5n })).toBe('md k C5 O7\r\n');
    expect(encoded({ op: Op.delete, key: 'k', cas: 0n })).toBe('md k O7\r\n');
  });

  it('incr and decr ask for the new value; an initial value creates the counter with N and J', () => {
    expect(encoded({ op: Op.incr, key: 'c', delta: 1n })).toBe('ma c v D1 MI O7\r\n');
    expect(encoded({ op: Op.decr, key: 'c', delta: 18446744073709551615n, initial: 10n, expiration: 30 })).toBe(
      'ma c v D18446744073709551615 N30 J10 MD O7\r\n',
    );
  });

  it('sends keys as UTF-8, the bytes binary sends', () => {
    expect(Buffer.from(encoded({ op: Op.get, key: 'ключ' }))).toEqual(Buffer.from('mg ключ v f k O7\r\n', 'utf8'));
  });

  it('uses the text commands for flush, version, stats, and mn as the barrier', () => {
    expect(encoded({ op: Op.flush, expiration: 5 })).toBe('flush_all 5\r\n');
    expect(encoded({ op: Op.version })).toBe('version\r\n');
    expect(encoded({ op: Op.stats })).toBe('stats\r\n');
    expect(encoded({ op: Op.stats, key: 'settings' })).toBe('stats settings\r\n');
    expect(encoded(metaProtocol.barrier)).toBe('mn\r\n');
  });

  it('logs in with a set whose data is "user pass" (memcached -Y)', () => {
    expect(encoded({ op: Op.asciiAuth, value: 'user secret' })).toBe('set auth 0 0 11\r\nuser secret\r\n');
  });

  it('refuses a flags word or TTL out of range instead of writing a line memcached would misread', () => {
    expect(() => encoded({ op: Op.set, key: 'k', value: 'v', expiration: 2 ** 33 })).toThrow(RangeError);
    expect(() => encoded({ op: Op.set, key: 'k', value: 'v', flags: -1 })).toThrow(RangeError);
  });
});

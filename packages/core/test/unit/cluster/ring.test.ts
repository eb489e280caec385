import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { keyHash, Ring } from '../../../src/cluster/rings/dalli-ring.ts';

const members = (names: string[]) => names.map((name) => ({ name, weight: 1 }));
const servers = (n: number) => members(Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}:11211`));
const keys = Array.from({ length: 20_000 }, (_, i) => `key:${i}`);

describe('Ring', () => {
  it('hashes keys with zlib CRC32 of their UTF-8 bytes', () => {
    expect(keyHash('hello')).toBe(907060870);
    expect(keyHash('ключ')).toBe(crc32(Buffer.from('ключ', 'utf8')));
    expect(keyHash('ключ')).not.toBe(crc32(Buffer.from('ключ', 'latin1')));
  });

  it('places each point at the first four bytes of SHA1(name:i), and a hash at the point at or below it', () => {
    const ring = new Ring(members(['a:1', 'b:2']));
    const point = createHash('sha1').update('b:2:0').digest().readUInt32BE(0);
    expect(ring.ownerOf(point)).toBe(1);
  });

  it('wraps a hash below every point to the last point', () => {
    const ring = new Ring(members(['a:1', 'b:2']));
    const points = ['a:1', 'b:2'].flatMap((name) =>
      Array.from({ length: 160 }, (_, i) => ({
        value: createHash('sha1').update(`${name}:${i}`).digest().readUInt32BE(0),
        owner: name === 'a:1' ? 0 : 1,
      })),
    );
    points.sort((x, y) => x.value - y.value);
    const lowest = points[0] as { value: number };
    const highest = points.at(-1) as { owner: number };
    expect(lowest.value).toBeGreaterThan(0);
    expect(ring.ownerOf(0)).toBe(highest.owner);
    expect(ring.ownerOf(lowest.value - 1)).toBe(highest.owner);
    expect(ring.ownerOf(0xffffffff)).toBe(highest.owner);
  });

  it('gives each server a share of keys close to its share of the weight', () => {
    const ring = new Ring([
      { name: '127.0.0.1:1', weight: 1 },
      { name: '127.0.0.1:2', weight: 3 },
    ]);
    const heavy = keys.filter((key) => ring.ownerOf(keyHash(key)) === 1).length / keys.length;
    expect(heavy).toBeGreaterThan(0.65);
    expect(heavy).toBeLessThan(0.85);
  });

  it.each([2, 3, 5, 9])('adding one server to %i moves about 1/(N+1) of keys, and none between the others', (n) => {
    const before = new Ring(servers(n));
    const after = new Ring(servers(n + 1));
    let moved = 0;
    for (const key of keys) {
      const hash = keyHash(key);
      const was = before.ownerOf(hash);
      const now = after.ownerOf(hash);
      if (was === now) continue;
      moved++;
      expect(now).toBe(n); // every key that moved went to the new server
    }
    const share = moved / keys.length;
    expect(share).toBeGreaterThan(0.5 / (n + 1));
    expect(share).toBeLessThan(1.6 / (n + 1));
  });
});

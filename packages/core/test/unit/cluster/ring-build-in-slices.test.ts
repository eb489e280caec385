import { describe, expect, it } from 'vitest';
import { buildRing, type Distribution } from '../../../src/cluster/rings/build-ring.ts';
import { buildRingInSlices } from '../../../src/cluster/rings/build-ring-in-slices.ts';
import { InvalidArgumentError } from '../../../src/errors.ts';

const fleet = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `127.0.${i >> 8}.${(i & 255) + 1}:${11211 + (i % 2)}`,
    weight: 1 + (i % 3),
  }));
const hashes = Array.from({ length: 20_000 }, (_, i) => Math.floor(i * (2 ** 32 / 20_000)) + (i % 7));
const distributions: Distribution[] = ['dalli', 'ketama', 'libmemcached-consistent', 'twemproxy', 'node-memcached'];

describe('buildRingInSlices', () => {
  it.each(distributions)('%s: places every hash as the ring built at once does', async (distribution) => {
    const members = fleet(300);
    const sliced = await buildRingInSlices(distribution, members);
    // Fresh member objects, so the ring built at once hashes every point itself.
    const whole = buildRing(
      distribution,
      members.map((member) => ({ ...member })),
    );
    expect(sliced.distribution).toBe(whole.distribution);
    expect(hashes.filter((hash) => sliced.ownerOf(hash) !== whole.ownerOf(hash))).toEqual([]);
  });

  it('places as twemproxy with server names and memjs do at once', async () => {
    const members = fleet(50).map((member) => ({ ...member, weight: 1 }));
    const named: Distribution = { name: 'twemproxy', serverNames: members.map((_, i) => `cache-${i}`) };
    for (const distribution of [named, 'memjs'] as const) {
      const sliced = await buildRingInSlices(distribution, members);
      const whole = buildRing(distribution, members);
      expect(hashes.filter((hash) => sliced.ownerOf(hash) !== whole.ownerOf(hash))).toEqual([]);
    }
  });

  it('lets the event loop run while a large ring is built', async () => {
    let turns = 0;
    const tick = setInterval(() => turns++, 0);
    const ring = buildRingInSlices('dalli', fleet(3_000));
    await ring;
    clearInterval(tick);
    expect(turns).toBeGreaterThan(0);
  });

  it('rejects servers the distribution cannot express before hashing anything', async () => {
    await expect(buildRingInSlices('node-memcached', [{ name: '/tmp/m.sock', weight: 1 }])).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(buildRingInSlices('memjs', [{ name: 'a:1', weight: 2 }])).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

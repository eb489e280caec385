import { Continuum, type ContinuumPoint, hostAndPort, ketamaPointCount, md5KeyHash, md5Words } from './continuum.ts';
import type { KeyRing, RingMember } from './key-ring.ts';

/**
 * libmemcached's weighted ketama (`MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA_WEIGHTED`, what
 * pylibmc's `{"ketama_weighted": True}` and PHP's `libketama_compatible` give): 160 points per server at equal
 * weights, four per MD5 digest of `host-i` when the port is 11211, otherwise `host:port-i`. A
 * socket path has port 0, so its points are `path:0-i`.
 */
export class KetamaRing implements KeyRing {
  readonly distribution = 'ketama';
  readonly #continuum: Continuum;

  constructor(members: readonly RingMember[]) {
    this.#continuum = new Continuum(weightedKetamaPoints(members));
  }

  hash(wireKey: string): number {
    return md5KeyHash(wireKey);
  }

  ownerOf(hash: number): number {
    return this.#continuum.ownerOf(hash);
  }
}

/** libmemcached's weighted continuum: `floor(share × 40 × servers)` MD5 digests per server, four points each. */
export function weightedKetamaPoints(members: readonly RingMember[]): ContinuumPoint[] {
  const totalWeight = members.reduce((sum, member) => sum + member.weight, 0);
  const points: ContinuumPoint[] = [];
  members.forEach((member, owner) => {
    const prefix = libmemcachedPointPrefix(member.name);
    const digests = ketamaPointCount(member.weight, totalWeight, members.length) / 4;
    for (let i = 0; i < digests; i++) {
      for (const value of md5Words(`${prefix}-${i}`)) points.push({ value, owner });
    }
  });
  return points;
}

/** libmemcached names a server's points `host` (port 11211), `host:port`, or `path:0` for a socket. */
export function libmemcachedPointPrefix(name: string): string {
  const endpoint = hostAndPort(name);
  if (endpoint === undefined) return `${name}:0`;
  return endpoint.port === 11211 ? endpoint.host : name;
}

import { Continuum, type ContinuumPoint, hostAndPort, md5KeyHash, md5Words } from './continuum.ts';
import type { KeyRing, RingMember } from './key-ring.ts';

/** node-hashring's virtual nodes per server at equal weights; each digest gives 4 points. */
const VNODES = 40;

/**
 * The `memcached` npm package 2.2.x, which places keys with node-hashring 3.2 in its default
 * `compatibility: 'ketama'`: `floor(weight / total × 40 × servers)` digests per server (double
 * precision, unlike libmemcached), four points per MD5 digest of `host-i` when the server was
 * written with port 11211, otherwise of the server string as written, `host:port-i`. node-hashring
 * splits that string at ":", so an IPv6 host never matches the default port and keeps its port.
 */
export class NodeMemcachedRing implements KeyRing {
  readonly distribution = 'node-memcached';
  readonly #continuum: Continuum;

  constructor(members: readonly RingMember[]) {
    const totalWeight = members.reduce((sum, member) => sum + member.weight, 0);
    const points: ContinuumPoint[] = [];
    members.forEach((member, owner) => {
      const prefix = pointPrefix(member.name);
      const digests = Math.floor((member.weight / totalWeight) * VNODES * members.length);
      for (let i = 0; i < digests; i++) {
        for (const value of md5Words(`${prefix}-${i}`)) points.push({ value, owner });
      }
    });
    this.#continuum = new Continuum(points);
  }

  hash(wireKey: string): number {
    return md5KeyHash(wireKey);
  }

  ownerOf(hash: number): number {
    return this.#continuum.ownerOf(hash);
  }
}

function pointPrefix(name: string): string {
  const endpoint = hostAndPort(name);
  return endpoint !== undefined && !endpoint.host.includes(':') && endpoint.port === 11211 ? endpoint.host : name;
}

import { Continuum, type ContinuumPoint, hostAndPort, ketamaPointCount, md5KeyHash, md5Words } from './continuum.ts';
import type { KeyRing, RingMember } from './key-ring.ts';

/**
 * twemproxy (nutcracker 0.5.0) with `distribution: ketama` and `hash: md5`: libmemcached's maths,
 * with each server's points named `<name>-i`. The name is the one given in nutcracker's config
 * (`- 127.0.0.1:11212:1 cache-a`), else the host when the port is 11211, else `host:port`; an
 * unnamed Unix socket is named `path:`, colon included, as nutcracker 0.5.0 does (found against it).
 */
export class TwemproxyRing implements KeyRing {
  readonly distribution = 'twemproxy';
  readonly #continuum: Continuum;

  /** @param names the servers' names from nutcracker's config, in order; absent for unnamed servers. */
  constructor(members: readonly RingMember[], names?: readonly string[]) {
    const totalWeight = members.reduce((sum, member) => sum + member.weight, 0);
    const points: ContinuumPoint[] = [];
    members.forEach((member, owner) => {
      const name = names?.[owner] ?? defaultName(member.name);
      const digests = ketamaPointCount(member.weight, totalWeight, members.length) / 4;
      for (let i = 0; i < digests; i++) {
        for (const value of md5Words(`${name}-${i}`)) points.push({ value, owner });
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

function defaultName(name: string): string {
  const endpoint = hostAndPort(name);
  if (endpoint === undefined) return `${name}:`;
  return endpoint.port === 11211 ? endpoint.host : name;
}

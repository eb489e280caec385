import { InvalidArgumentError } from '../../errors.ts';
import { Ring } from './dalli-ring.ts';
import { KetamaRing } from './ketama-ring.ts';
import { DISTRIBUTIONS, type DistributionName, type KeyRing, type RingMember } from './key-ring.ts';
import { LibmemcachedConsistentRing } from './libmemcached-consistent-ring.ts';
import { MemjsRing } from './memjs-ring.ts';
import { NodeMemcachedRing } from './node-memcached-ring.ts';
import { TwemproxyRing } from './twemproxy-ring.ts';

/**
 * A `distribution` option: a placement's name, or twemproxy with the server names its config gives
 * (one per server, in the same order), since those names, not the addresses, place its keys.
 */
export type Distribution = DistributionName | { readonly name: 'twemproxy'; readonly serverNames: readonly string[] };

/** Checks a `distribution` option's shape (the servers are checked when the ring is built). */
export function checkDistribution(value: unknown): void {
  if (typeof value === 'string' && (DISTRIBUTIONS as readonly string[]).includes(value)) return;
  if (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'twemproxy') {
    const names = (value as { serverNames?: unknown }).serverNames;
    const valid = (name: unknown): boolean => typeof name === 'string' && name !== '' && !/\s/.test(name);
    if (Array.isArray(names) && names.every(valid) && new Set(names).size === names.length) return;
    throw new InvalidArgumentError('distribution.serverNames must be distinct server names without spaces');
  }
  throw new InvalidArgumentError(
    `distribution must be one of ${DISTRIBUTIONS.map((name) => `'${name}'`).join(', ')}, or { name: 'twemproxy', serverNames }`,
  );
}

/** The ring for `distribution`; a server list the chosen client could not express is an error. */
export function buildRing(distribution: Distribution, members: readonly RingMember[]): KeyRing {
  if (typeof distribution === 'object') {
    if (distribution.serverNames.length !== members.length) {
      throw new InvalidArgumentError(
        `distribution.serverNames has ${distribution.serverNames.length} names for ${members.length} servers`,
      );
    }
    return new TwemproxyRing(members, distribution.serverNames);
  }
  switch (distribution) {
    case 'dalli':
      return new Ring(members);
    case 'ketama':
      return new KetamaRing(members);
    case 'libmemcached-consistent':
      return new LibmemcachedConsistentRing(members);
    case 'twemproxy':
      return new TwemproxyRing(members);
    case 'node-memcached':
      for (const member of members) {
        if (member.name.startsWith('/')) {
          throw new InvalidArgumentError(`distribution 'node-memcached': memcached 2.x cannot reach ${member.name}`);
        }
      }
      return new NodeMemcachedRing(members);
    case 'memjs':
      checkMemjsServers(members);
      return new MemjsRing(members);
  }
}

/** memjs parses `host:port` only and has no weights: anything else it could not have placed. */
function checkMemjsServers(members: readonly RingMember[]): void {
  for (const member of members) {
    if (member.name.startsWith('/') || member.name.split(':').length > 2) {
      throw new InvalidArgumentError(`distribution 'memjs': memjs cannot reach ${member.name} (host:port only)`);
    }
    if (member.weight !== 1) {
      throw new InvalidArgumentError(`distribution 'memjs': memjs has no server weights (${member.name})`);
    }
  }
}

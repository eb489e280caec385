import { InvalidArgumentError } from '../../errors.ts';
import { dalliPlans, Ring } from './dalli-ring.ts';
import { KetamaRing, weightedKetamaPlans } from './ketama-ring.ts';
import { DISTRIBUTIONS, type DistributionName, type KeyRing, type RingMember } from './key-ring.ts';
import { LibmemcachedConsistentRing, libmemcachedConsistentPlans } from './libmemcached-consistent-ring.ts';
import { MemjsRing } from './memjs-ring.ts';
import { NodeMemcachedRing, nodeMemcachedPlans } from './node-memcached-ring.ts';
import type { PointSetPlan } from './point-sets.ts';
import type { SortedPoints } from './sorted-points.ts';
import { TwemproxyRing, twemproxyPlans } from './twemproxy-ring.ts';

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

/**
 * The ring for `distribution`; a server list the chosen client could not express is an error.
 * @param sorted the members' points, when already computed (by {@link pointSetPlans} and `sortSteps`).
 */
export function buildRing(distribution: Distribution, members: readonly RingMember[], sorted?: SortedPoints): KeyRing {
  checkMembers(distribution, members);
  if (typeof distribution === 'object') return new TwemproxyRing(members, distribution.serverNames, sorted);
  switch (distribution) {
    case 'dalli':
      return new Ring(members, sorted);
    case 'ketama':
      return new KetamaRing(members, sorted);
    case 'libmemcached-consistent':
      return new LibmemcachedConsistentRing(members, sorted);
    case 'twemproxy':
      return new TwemproxyRing(members, undefined, sorted);
    case 'node-memcached':
      return new NodeMemcachedRing(members, sorted);
    case 'memjs':
      return new MemjsRing(members);
  }
}

/** Each member's points under `distribution`, in member order; undefined for memjs, which has none. */
export function pointSetPlans(distribution: Distribution, members: readonly RingMember[]): PointSetPlan[] | undefined {
  if (typeof distribution === 'object') return twemproxyPlans(members, distribution.serverNames);
  switch (distribution) {
    case 'dalli':
      return dalliPlans(members);
    case 'ketama':
      return weightedKetamaPlans(members);
    case 'libmemcached-consistent':
      return libmemcachedConsistentPlans(members);
    case 'twemproxy':
      return twemproxyPlans(members);
    case 'node-memcached':
      return nodeMemcachedPlans(members);
    case 'memjs':
      return undefined;
  }
}

/** Throws when `distribution`'s client could not have reached or weighed these servers. */
export function checkMembers(distribution: Distribution, members: readonly RingMember[]): void {
  if (typeof distribution === 'object') {
    if (distribution.serverNames.length !== members.length) {
      throw new InvalidArgumentError(
        `distribution.serverNames has ${distribution.serverNames.length} names for ${members.length} servers`,
      );
    }
  } else if (distribution === 'node-memcached') {
    for (const member of members) {
      if (member.name.startsWith('/')) {
        throw new InvalidArgumentError(`distribution 'node-memcached': memcached 2.x cannot reach ${member.name}`);
      }
    }
  } else if (distribution === 'memjs') {
    checkMemjsServers(members);
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

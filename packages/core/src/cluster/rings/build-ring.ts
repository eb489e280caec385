import { InvalidArgumentError } from '../../errors.ts';
import { dalliPlanner, Ring } from './dalli-ring.ts';
import { KetamaRing, weightedKetamaPlanner } from './ketama-ring.ts';
import { DISTRIBUTIONS, type DistributionName, type KeyRing, type RingMember } from './key-ring.ts';
import { LibmemcachedConsistentRing, libmemcachedConsistentPlanner } from './libmemcached-consistent-ring.ts';
import { MemjsRing } from './memjs-ring.ts';
import { NodeMemcachedRing, nodeMemcachedPlanner } from './node-memcached-ring.ts';
import type { PointSetPlan, PointSetPlanner } from './point-sets.ts';
import type { SortedPoints } from './sorted-points.ts';
import { TwemproxyRing, twemproxyPlanner } from './twemproxy-ring.ts';

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
 * @param sorted the members' points, when already computed (by {@link pointSetPlanner} and `sortSteps`).
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
  const planner = pointSetPlanner(distribution, members);
  return planner === undefined ? undefined : members.map(planner);
}

/** What makes each member's plan under `distribution`, one at a time; undefined for memjs. */
export function pointSetPlanner(
  distribution: Distribution,
  members: readonly RingMember[],
): PointSetPlanner | undefined {
  if (typeof distribution === 'object') return twemproxyPlanner(members, distribution.serverNames);
  switch (distribution) {
    case 'dalli':
      return dalliPlanner(members);
    case 'ketama':
      return weightedKetamaPlanner(members);
    case 'libmemcached-consistent':
      return libmemcachedConsistentPlanner(members);
    case 'twemproxy':
      return twemproxyPlanner(members);
    case 'node-memcached':
      return nodeMemcachedPlanner(members);
    case 'memjs':
      return undefined;
  }
}

/** Throws when `distribution`'s client could not have reached or weighed these servers. */
export function checkMembers(distribution: Distribution, members: readonly RingMember[]): void {
  checkMemberCount(distribution, members.length);
  if (distribution === 'node-memcached') {
    for (const member of members) {
      if (member.name.startsWith('/')) {
        throw new InvalidArgumentError(`distribution 'node-memcached': memcached 2.x cannot reach ${member.name}`);
      }
    }
  } else if (distribution === 'memjs') {
    checkMemjsServers(members);
  }
}

/**
 * Throws when `distribution` names a different number of servers (twemproxy with the names of its
 * config). The one check a plain `host:port` server of weight 1 can fail.
 */
export function checkMemberCount(distribution: Distribution, count: number): void {
  if (typeof distribution === 'object' && distribution.serverNames.length !== count) {
    throw new InvalidArgumentError(
      `distribution.serverNames has ${distribution.serverNames.length} names for ${count} servers`,
    );
  }
}

/** memjs parses `host:port` only and has no weights: anything else it could not have placed. */
function checkMemjsServers(members: readonly RingMember[]): void {
  for (const member of members) {
    const name = member.name;
    // Read without a split per server: a fleet's 10,000 are checked while the constructor runs.
    if (name.startsWith('/') || name.indexOf(':') !== name.lastIndexOf(':')) {
      throw new InvalidArgumentError(`distribution 'memjs': memjs cannot reach ${name} (host:port only)`);
    }
    if (member.weight !== 1) {
      throw new InvalidArgumentError(`distribution 'memjs': memjs has no server weights (${member.name})`);
    }
  }
}

import { InvalidArgumentError } from '../errors.ts';
import type { RouteConfig, RoutesOption } from '../options/route-options.ts';
import { AllAsyncRoute, AllFastestRoute, AllSyncRoute } from './all-routes.ts';
import { FailoverRoute } from './failover-route.ts';
import type { Pool } from './pool.ts';
import type { Route, RouteKind } from './route.ts';
import type { RouteEvents } from './route-events.ts';
import type { RouteTable } from './router.ts';
import { ShadowRoute } from './shadow-route.ts';
import { PoolRoute, TtlRoute } from './simple-routes.ts';
import { WarmUpRoute } from './warm-up-route.ts';
import { ZoneFailoverRoute } from './zone-failover-route.ts';

/** The commands a route may be given for by name (single-key commands, and multi-key ones per key). */
const COMMANDS: ReadonlySet<string> = new Set([
  ...['get', 'gets', 'gat', 'gats', 'touch', 'getWithMetadata', 'set', 'add', 'replace', 'append', 'prepend'],
  ...['delete', 'invalidate', 'incr', 'decr', 'fetch', 'getMulti', 'setMulti', 'deleteMulti'],
]);
const KINDS: readonly RouteKind[] = ['read', 'write', 'delete', 'lease'];

/** What routes are compiled with beside their configuration. */
export interface RouteBuildContext {
  readonly pools: ReadonlyMap<string, Pool>;
  readonly events: RouteEvents;
  /** The client's `expiresIn`, in seconds: a warmed copy's TTL by default. */
  readonly expiresIn: number;
}

/**
 * Compiles the `routes` option. Every mistake (an unknown pool, route or command, a bad TTL or
 * rate) is an InvalidArgumentError naming where it is, thrown before any request is sent.
 */
export function buildRoutes(option: RoutesOption, context: RouteBuildContext): RouteTable {
  if (typeof option !== 'object' || option === null || Array.isArray(option)) fail('routes', 'must be an object');
  const compiled = new Map<string, Route>();
  for (const [name, config] of Object.entries(option)) {
    if (config === undefined) continue;
    if (name !== 'default' && !KINDS.includes(name as RouteKind) && !COMMANDS.has(name)) {
      fail(
        `routes.${name}`,
        `is not a kind (read, write, delete, lease, default) or a command (${[...COMMANDS].join(', ')})`,
      );
    }
    compiled.set(name, build(config, `routes.${name}`, context));
  }
  const main = context.pools.get('main');
  const fallback = compiled.get('default') ?? (main === undefined ? undefined : new PoolRoute(main));
  const kindRoute = (kind: RouteKind, also?: RouteKind): Route => {
    const route = compiled.get(kind) ?? (also === undefined ? undefined : compiled.get(also)) ?? fallback;
    if (route === undefined) fail(`routes.${kind}`, "is needed: there is no 'default' route and no 'main' pool");
    return route;
  };
  const byKind = {
    read: kindRoute('read'),
    write: kindRoute('write'),
    delete: kindRoute('delete', 'write'),
    lease: kindRoute('lease', 'read'),
  };
  const byName = new Map([...compiled].filter(([name]) => COMMANDS.has(name)));
  return { byName, byKind };
}

function build(config: RouteConfig, where: string, context: RouteBuildContext): Route {
  if (typeof config === 'string') return new PoolRoute(pool(config, where, context));
  if (typeof config !== 'object' || config === null) fail(where, 'must be a pool name or a route object');
  const children = (): Route[] =>
    list(config as { children?: readonly RouteConfig[] }, where).map((child, i) =>
      build(child, `${where}.children[${i}]`, context),
    );
  const { events } = context;
  switch (config.route) {
    case 'failover': {
      const failoverCount = config.failoverCount ?? Number.POSITIVE_INFINITY;
      if (config.failoverCount !== undefined && !(Number.isSafeInteger(failoverCount) && failoverCount >= 0)) {
        fail(`${where}.failoverCount`, 'must be an integer, 0 or more');
      }
      const miss = flag(config.miss, false, `${where}.miss`);
      return new FailoverRoute(children(), { miss, failoverCount }, events);
    }
    case 'ttl': {
      const { ttl } = config;
      if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0)
        fail(`${where}.ttl`, 'must be seconds, more than 0');
      return new TtlRoute(Math.ceil(ttl), build(config.child, `${where}.child`, context));
    }
    case 'allSync':
      return new AllSyncRoute(children());
    case 'allAsync':
      return new AllAsyncRoute(children(), events);
    case 'allFastest':
      return new AllFastestRoute(children());
    case 'zoneFailover':
      return zoneFailover(config, where, context);
    case 'warmUp':
      return warmUp(config, where, context);
    case 'shadow': {
      const { rate } = config;
      if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) fail(`${where}.rate`, 'must be a share from 0 to 1');
      const child = build(config.child, `${where}.child`, context);
      return new ShadowRoute(child, build(config.shadow, `${where}.shadow`, context), rate, events);
    }
    default:
      return fail(
        `${where}.route`,
        'must be failover, ttl, allSync, allAsync, allFastest, zoneFailover, warmUp or shadow',
      );
  }
}

function zoneFailover(
  config: Extract<RouteConfig, { route: 'zoneFailover' }>,
  where: string,
  context: RouteBuildContext,
): Route {
  if (typeof config.local !== 'string' || config.local === '') fail(`${where}.local`, 'must name a zone');
  const pools = list(config, where).map((name, i) => {
    if (typeof name !== 'string') fail(`${where}.children[${i}]`, 'must be a pool name');
    const found = pool(name, `${where}.children[${i}]`, context);
    if (found.zone === undefined) fail(`${where}.children[${i}]`, `names pool "${name}", which has no zone`);
    return found;
  });
  const local = pools.find((candidate) => candidate.zone === config.local);
  const far = pools.filter((candidate) => candidate !== local).map((candidate) => new PoolRoute(candidate));
  const miss = flag(config.miss, true, `${where}.miss`);
  return new ZoneFailoverRoute(local === undefined ? undefined : new PoolRoute(local), far, miss, context.events);
}

function warmUp(config: Extract<RouteConfig, { route: 'warmUp' }>, where: string, context: RouteBuildContext): Route {
  const child = pool(config.child, `${where}.child`, context);
  const from = config.from === undefined ? undefined : pool(config.from, `${where}.from`, context);
  if (from === child) fail(`${where}.from`, 'must be another pool than the child');
  const ttl = config.ttl ?? context.expiresIn;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) fail(`${where}.ttl`, 'must be seconds, 0 or more');
  const window = config.window ?? 3600;
  if (typeof window !== 'number' || !Number.isFinite(window) || window < 0) {
    fail(`${where}.window`, 'must be seconds, 0 or more');
  }
  return new WarmUpRoute(child, { from, ttl, windowMs: window * 1000 }, context.events);
}

function list<T>(config: { readonly children?: readonly T[] }, where: string): readonly T[] {
  const { children } = config;
  if (!Array.isArray(children) || children.length === 0) fail(`${where}.children`, 'must be a non-empty array');
  return children;
}

function pool(name: unknown, where: string, context: RouteBuildContext): Pool {
  const found = typeof name === 'string' ? context.pools.get(name) : undefined;
  if (found === undefined) {
    fail(where, `names no pool (${JSON.stringify(name)}; pools: ${[...context.pools.keys()].join(', ')})`);
  }
  return found;
}

function flag(value: unknown, fallback: boolean, where: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(where, 'must be true or false');
  return value;
}

function fail(where: string, message: string): never {
  throw new InvalidArgumentError(`option "${where}" ${message}`);
}

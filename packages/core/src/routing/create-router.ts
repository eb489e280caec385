import type { Cluster } from '../cluster/cluster.ts';
import type { RoutesOption } from '../options/route-options.ts';
import { buildRoutes } from './build-routes.ts';
import { Pool, type PoolContext } from './pool.ts';
import { RouteEvents } from './route-events.ts';
import { Router } from './router.ts';

/** A pool as the client set it up: its servers in a cluster of their own. */
export interface PoolCluster {
  readonly name: string;
  readonly cluster: Cluster;
  readonly zone: string | undefined;
}

/** Most keys a pool's outage journal holds (each a few hundred bytes at most). */
const JOURNAL_MAX = 100_000;

/** The router of a client with `routes`: its own servers as the pool 'main', and the `pools`. */
export function createRouter(
  client: object,
  main: Cluster,
  pools: readonly PoolCluster[],
  routes: RoutesOption,
  options: Omit<PoolContext, 'journalMax'> & { readonly expiresIn: number },
): Router {
  const context = { ...options, journalMax: JOURNAL_MAX };
  const byName = new Map<string, Pool>([['main', new Pool('main', main, undefined, context)]]);
  for (const { name, cluster, zone } of pools) byName.set(name, new Pool(name, cluster, zone, context));
  const events = new RouteEvents(client);
  const table = buildRoutes(routes, { pools: byName, events, expiresIn: context.expiresIn });
  return new Router(byName, table, events);
}

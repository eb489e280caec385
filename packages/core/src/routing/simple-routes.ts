import type { Pool } from './pool.ts';
import { type Route, type RoutedCall, withRequest } from './route.ts';
import { clampExpiration } from './ttl-clamp.ts';

/** A pool's name as a route: the request goes to its key's server in that pool. */
export class PoolRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
    this.pools = [pool];
  }

  run<T>(call: RoutedCall<T>): Promise<T> {
    return this.#pool.send(call);
  }

  backlog(wireKey: string): number | undefined {
    return this.#pool.cluster.routeIfAny(wireKey)?.queued;
  }
}

/** Writes and touches through it live at most `ttl` seconds (the gutter's clamp). */
export class TtlRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #ttl: number;
  readonly #child: Route;

  constructor(ttl: number, child: Route) {
    this.#ttl = ttl;
    this.#child = child;
    this.pools = child.pools;
  }

  run<T>(call: RoutedCall<T>): Promise<T> {
    const clamped = clampExpiration(call.request, this.#ttl);
    return this.#child.run(clamped === call.request ? call : withRequest(call, clamped));
  }

  backlog(wireKey: string): number | undefined {
    return this.#child.backlog?.(wireKey);
  }
}

/** Every pool of `routes`, each once, in order. */
export function poolsOf(routes: readonly Route[]): Pool[] {
  return [...new Set(routes.flatMap((route) => route.pools))];
}

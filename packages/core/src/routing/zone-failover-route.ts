import { firstAnswer } from './all-routes.ts';
import type { Pool } from './pool.ts';
import { failsOver, isMiss, type Route, type RoutedCall } from './route.ts';
import type { RouteEvents } from './route-events.ts';
import { poolsOf } from './simple-routes.ts';

/**
 * Zone-local first: the local child alone; when it fails (or misses, with `miss`), every far child
 * at once, the first hit winning, else the first answer, else the local failure.
 */
export class ZoneFailoverRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #local: Route | undefined;
  readonly #far: readonly Route[];
  readonly #miss: boolean;
  readonly #events: RouteEvents;

  constructor(local: Route | undefined, far: readonly Route[], miss: boolean, events: RouteEvents) {
    this.#local = local;
    this.#far = far;
    this.#miss = miss;
    this.#events = events;
    this.pools = poolsOf(local === undefined ? far : [local, ...far]);
  }

  async run<T>(call: RoutedCall<T>): Promise<T> {
    const local = this.#local;
    if (local === undefined) return this.#anyFar(call);
    let localError: unknown;
    try {
      const result = await local.run(call);
      if (!(this.#miss && isMiss(call, result)) || this.#far.length === 0) return result;
    } catch (error) {
      if (!failsOver(error) || this.#far.length === 0) throw error;
      localError = error;
    }
    this.#events.note('failovers', 'failover', call, { from: local.pools[0]?.name, error: localError });
    try {
      return await this.#anyFar(call);
    } catch (error) {
      throw localError ?? error;
    }
  }

  /** Every far child at once: the first hit; when all miss, a miss; when all fail, the first failure. */
  #anyFar<T>(call: RoutedCall<T>): Promise<T> {
    const pending = this.#far.map((child) => child.run(call));
    const hits = pending.map((answer) =>
      answer.then((result) => (isMiss(call, result) ? Promise.reject(result) : result)),
    );
    return Promise.any(hits).catch(() => firstAnswer(pending));
  }
}

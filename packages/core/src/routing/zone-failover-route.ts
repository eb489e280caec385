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
    if (call.kind === 'delete') return this.#deleteEverywhere(call);
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

  /**
   * A delete goes to every zone at once, since a read that misses locally is answered by a far
   * zone: the local answer when there is one, else the first far one, else the local failure.
   */
  async #deleteEverywhere<T>(call: RoutedCall<T>): Promise<T> {
    const children = this.#local === undefined ? this.#far : [this.#local, ...this.#far];
    const outcomes = await Promise.allSettled(children.map((child) => child.run(call)));
    const answered = outcomes.find((outcome) => outcome.status === 'fulfilled');
    if (this.#local !== undefined && outcomes[0]?.status === 'fulfilled') return outcomes[0].value;
    if (answered !== undefined) return answered.value;
    throw (outcomes[0] as PromiseRejectedResult).reason;
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

import { isDeepStrictEqual } from 'node:util';
import type { Pool } from './pool.ts';
import type { Route, RoutedCall } from './route.ts';
import type { RouteEvents } from './route-events.ts';

/**
 * The child answers; a sampled share of requests also goes to the shadow, after the child's
 * request was issued, and its answer is only compared (a mismatch or a failure is counted and
 * published), never returned. The caller never waits for the shadow.
 */
export class ShadowRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #child: Route;
  readonly #shadow: Route;
  readonly #rate: number;
  readonly #events: RouteEvents;
  readonly #random: () => number;

  constructor(child: Route, shadow: Route, rate: number, events: RouteEvents, random: () => number = Math.random) {
    this.#child = child;
    this.#shadow = shadow;
    this.#rate = rate;
    this.#events = events;
    this.#random = random;
    // A delete or flush reaches the shadow's pools too, or they would keep what the primary dropped.
    this.pools = [...new Set([...child.pools, ...shadow.pools])];
  }

  run<T>(call: RoutedCall<T>): Promise<T> {
    const answer = this.#child.run(call);
    if (call.kind === 'delete') {
      // Every delete, not a sample: the shadow would otherwise keep what the primary dropped.
      this.#shadow.run(call).catch((error: unknown) => this.#events.backgroundFailure(call, error));
    } else if (this.#random() < this.#rate) void this.#compare(call, answer, this.#shadow.run(call));
    return answer;
  }

  async #compare<T>(call: RoutedCall<T>, answer: Promise<T>, shadowed: Promise<T>): Promise<void> {
    this.#events.stats.shadowed++;
    const [primary, shadow] = await Promise.allSettled([answer, shadowed]);
    if (shadow.status === 'rejected') {
      this.#events.backgroundFailure(call, shadow.reason);
      return;
    }
    if (primary.status === 'fulfilled' && !isDeepStrictEqual(primary.value, shadow.value)) {
      this.#events.note('shadowMismatches', 'shadow-mismatch', call, { to: this.#shadow.pools[0]?.name });
    }
  }
}

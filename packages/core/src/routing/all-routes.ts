import type { Pool } from './pool.ts';
import { type Route, type RoutedCall, settleQuietly } from './route.ts';
import type { RouteEvents } from './route-events.ts';
import { poolsOf } from './simple-routes.ts';

/** allSync: every child at once; answers when all have, with the first child's answer; fails if any failed. */
export class AllSyncRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #children: readonly Route[];

  constructor(children: readonly Route[]) {
    this.#children = children;
    this.pools = poolsOf(children);
  }

  async run<T>(call: RoutedCall<T>): Promise<T> {
    const outcomes = await Promise.allSettled(this.#children.map((child) => child.run(call)));
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    return (outcomes[0] as PromiseFulfilledResult<T>).value;
  }
}

/** allAsync: every child at once; answers with the first child's answer; the others finish in the background. */
export class AllAsyncRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #children: readonly Route[];
  readonly #events: RouteEvents;

  constructor(children: readonly Route[], events: RouteEvents) {
    this.#children = children;
    this.#events = events;
    this.pools = poolsOf(children);
  }

  run<T>(call: RoutedCall<T>): Promise<T> {
    const [first, ...others] = this.#children.map((child) => child.run(call));
    for (const other of others) {
      settleQuietly(other.catch((error: unknown) => this.#events.backgroundFailure(call, error)));
    }
    return first as Promise<T>;
  }
}

/** allFastest: every child at once; the first answer without an error wins (a miss is an answer). */
export class AllFastestRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #children: readonly Route[];

  constructor(children: readonly Route[]) {
    this.#children = children;
    this.pools = poolsOf(children);
  }

  run<T>(call: RoutedCall<T>): Promise<T> {
    return firstAnswer(this.#children.map((child) => child.run(call)));
  }
}

/** The first of `pending` to fulfil; when all reject, the first one's failure (not an AggregateError). */
export function firstAnswer<T>(pending: readonly Promise<T>[]): Promise<T> {
  return Promise.any(pending).catch((error: unknown) => {
    throw error instanceof AggregateError ? error.errors[0] : error;
  });
}

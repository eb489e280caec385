import type { Pool } from './pool.ts';
import { failsOver, type Route, type RoutedCall, settleQuietly } from './route.ts';
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

/**
 * A child this many requests further behind than the least loaded one is passed over by
 * allFastest: its answer would come last anyway, and each request sent there is work for
 * nothing (and, against a replica slowed 200 ms, a queue that only grows).
 */
const BACKLOG_SLACK = 16;

/**
 * allFastest: every child at once; the first answer without an error wins (a miss is an answer).
 * A child whose server is far more backlogged than the others' is skipped while it is.
 */
export class AllFastestRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #children: readonly Route[];

  constructor(children: readonly Route[]) {
    this.#children = children;
    this.pools = poolsOf(children);
  }

  run<T>(call: RoutedCall<T>): Promise<T> {
    const children = this.#children;
    const backlogs = children.map((child) => child.backlog?.(call.wireKey));
    const least = Math.min(...backlogs.map((backlog) => backlog ?? 0));
    const behind = (i: number): boolean => (backlogs[i] ?? 0) > least + BACKLOG_SLACK;
    const kept = children.filter((_, i) => !behind(i));
    const skipped = children.filter((_, i) => behind(i));
    const answer = firstAnswer(kept.map((child) => child.run(call)));
    if (skipped.length === 0) return answer;
    // The busy ones are still replicas: when every other one fails, they answer.
    return answer.catch((error: unknown) => {
      if (!failsOver(error)) throw error;
      return firstAnswer(skipped.map((child) => child.run(call)));
    });
  }
}

/** The first of `pending` to fulfil; when all reject, the first one's failure (not an AggregateError). */
export function firstAnswer<T>(pending: readonly Promise<T>[]): Promise<T> {
  return Promise.any(pending).catch((error: unknown) => {
    throw error instanceof AggregateError ? error.errors[0] : error;
  });
}

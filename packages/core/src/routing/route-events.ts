import { publish, routeChannel } from '../diagnostics/diagnostics.ts';
import type { RoutedCall } from './route.ts';

/** What the routes did since the client started (`Client.routeStats()`). */
export interface RouteStats {
  /** Requests that went on to another child after a failure (or a miss, with `miss`). */
  failovers: number;
  /** Keys written or deleted around their dead server, remembered until its copy is invalidated. */
  journaled: number;
  /** Stale copies deleted from a server back from an outage before it served their keys. */
  invalidated: number;
  /** Journal entries dropped at `journalMax`: their keys' staleness is no longer guarded. */
  journalOverflows: number;
  /** Failures of requests nobody awaited (allAsync's other children, a shadow). */
  backgroundFailures: number;
  /** Requests also sent to a shadow. */
  shadowed: number;
  /** Shadowed requests whose answers differed from the primary's. */
  shadowMismatches: number;
  /** Misses answered by a warm-up read of the previous owner or pool. */
  warmHits: number;
  /** Copies written by warm-up to the pool being warmed. */
  warmCopies: number;
}

/** One routing event on `dalli:route`. */
export interface RouteEventMessage {
  readonly client: object;
  /** `failover`, `journal`, `invalidate`, `journal-overflow`, `background-failure`, `shadow-mismatch`, `warm-hit`. */
  readonly event: string;
  readonly operation: string;
  /** The wire key. */
  readonly key: string;
  /** The pool or server it concerns, when one. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly error?: unknown;
}

/** The routes' counters and their diagnostics events. */
export class RouteEvents {
  readonly stats: RouteStats = {
    failovers: 0,
    journaled: 0,
    invalidated: 0,
    journalOverflows: 0,
    backgroundFailures: 0,
    shadowed: 0,
    shadowMismatches: 0,
    warmHits: 0,
    warmCopies: 0,
  };
  readonly #client: object;

  constructor(client: object) {
    this.#client = client;
  }

  /** Counts `counter` and tells `dalli:route`'s subscribers, if any. */
  note(
    counter: keyof RouteStats,
    event: string,
    call: RoutedCall<unknown>,
    where?: { from?: string | undefined; to?: string | undefined; error?: unknown },
  ): void {
    this.stats[counter]++;
    publish(
      routeChannel,
      (): RouteEventMessage => ({
        client: this.#client,
        event,
        operation: call.spec.name,
        key: call.wireKey,
        ...where,
      }),
    );
  }

  /** A copy of the counters, as they are now. */
  snapshot(): RouteStats {
    return { ...this.stats };
  }

  backgroundFailure(call: RoutedCall<unknown>, error: unknown): void {
    this.note('backgroundFailures', 'background-failure', call, { error });
  }
}

import { DELETE } from '../commands/writes.ts';
import { Op } from '../protocol/command.ts';
import type { JournalEntry, OutageJournal } from './outage-journal.ts';
import type { Pool } from './pool.ts';
import { failsOver, isMiss, type Route, type RoutedCall } from './route.ts';
import type { RouteEvents } from './route-events.ts';
import { poolsOf } from './simple-routes.ts';

export interface FailoverSettings {
  /** Fail over on a read's miss too. */
  readonly miss: boolean;
  /** At most this many failovers per request. */
  readonly failoverCount: number;
}

/**
 * Tries its children in order, on to the next when a request fails for want of a server (or
 * misses, with `miss`). When the first child is one pool, what goes around that pool's dead
 * server is kept consistent: a write or delete that failed over is journaled, and before the
 * server serves that key again its stale copy is deleted there; a write that reaches the first
 * child again deletes the copies the others took meanwhile. Deletes go to every child at once, so
 * none keeps a copy a failover could later serve.
 */
export class FailoverRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #children: readonly Route[];
  readonly #settings: FailoverSettings;
  readonly #last: number;
  readonly #events: RouteEvents;
  /** The pool the first child is, whose dead servers' keys are journaled. */
  readonly #primary: Pool | undefined;
  readonly #journal: OutageJournal | undefined;

  constructor(children: readonly Route[], settings: FailoverSettings, events: RouteEvents) {
    this.#children = children;
    this.#settings = settings;
    this.#last = Math.min(children.length - 1, settings.failoverCount);
    this.#events = events;
    this.pools = poolsOf(children);
    const first = children[0]?.pools;
    this.#primary = first?.length === 1 && children.length > 1 ? first[0] : undefined;
    // Shared by every route that fails over from this pool: a read must see what a write journaled.
    this.#journal = this.#primary?.journal;
  }

  run<T>(call: RoutedCall<T>): Promise<T> {
    if (call.kind === 'delete') return this.#deleteEverywhere(call);
    const journal = this.#journal;
    const entry = journal !== undefined && journal.size > 0 ? journal.get(call.wireKey) : undefined;
    if (entry === undefined && !this.#settings.miss && this.#last > 0) {
      // The usual request: one promise more than an unrouted one, and nothing else until it fails.
      const first = (this.#children[0] as Route).run(call);
      return first.then(undefined, (error: unknown) => this.#failedFirst(call, error));
    }
    if (entry === undefined || entry.invalidated) return this.#inOrder(call, 0, entry);
    let pending = entry.pending;
    if (pending === undefined) {
      const started = this.#invalidate(call, entry);
      const done = (): void => {
        if (entry.pending === started) entry.pending = undefined;
      };
      started.then(done, done);
      entry.pending = started;
      pending = started;
    }
    return pending.then((first) => this.#inOrder(call, first, entry));
  }

  #failedFirst<T>(call: RoutedCall<T>, error: unknown): Promise<T> {
    if (!failsOver(error)) throw error;
    this.#note(call, 0, error);
    return this.#inOrder(call, 1, undefined);
  }

  async #inOrder<T>(call: RoutedCall<T>, first: number, entry: JournalEntry | undefined): Promise<T> {
    for (let at = first; ; at++) {
      try {
        const result = await (this.#children[at] as Route).run(call);
        if (at < this.#last && this.#settings.miss && isMiss(call, result)) {
          this.#note(call, at, undefined);
          continue;
        }
        if (call.kind === 'write') await this.#wrote(call, at, entry);
        return result;
      } catch (error) {
        if (at >= this.#last || !failsOver(error)) throw error;
        this.#note(call, at, error);
      }
    }
  }

  /** After a write: journal it if it went around the first child; else drop the others' older copies. */
  async #wrote(call: RoutedCall<unknown>, at: number, entry: JournalEntry | undefined): Promise<void> {
    if (this.#journal === undefined) return;
    if (at > 0) {
      this.#journalKey(call);
      return;
    }
    if (entry === undefined) return;
    const others = this.#children.slice(1).map((child) => child.run(this.#deleteOf(call)));
    await Promise.allSettled(others);
    this.#journal.delete(call.wireKey);
  }

  /**
   * Deletes the returning server's stale copy before the key is served there. Resolves the child
   * to start from: the first, or the next one while the server still fails.
   */
  async #invalidate(call: RoutedCall<unknown>, entry: JournalEntry): Promise<number> {
    const primary = this.#primary as Pool;
    const owner = primary.cluster.owner(call.wireKey);
    try {
      // Moved by a ring change: the stale copy is no longer read there.
      if (owner === undefined || owner.name !== entry.owner) {
        entry.invalidated = true;
        return 0;
      }
      // Down still: past the first child at once. Trying it would be a probe, and a probe answered
      // by a server back that very moment would serve the copy not yet deleted.
      if (!owner.available) return this.#last === 0 ? 0 : 1;
      await primary.sendTo(owner, this.#deleteOf(call));
      entry.invalidated = true;
      this.#events.note('invalidated', 'invalidate', call, { to: owner.name });
      return 0;
    } catch (error) {
      if (!failsOver(error) || this.#last === 0) throw error;
      return 1;
    }
  }

  async #deleteEverywhere<T>(call: RoutedCall<T>): Promise<T> {
    const outcomes = await Promise.allSettled(this.#children.map((child) => child.run(call)));
    const first = outcomes[0] as PromiseSettledResult<T>;
    if (first.status === 'fulfilled') {
      this.#journal?.delete(call.wireKey);
      return first.value;
    }
    if (!failsOver(first.reason)) throw first.reason;
    const other = outcomes.find((outcome) => outcome.status === 'fulfilled');
    if (other === undefined) throw first.reason;
    this.#note(call, 0, first.reason);
    this.#journalKey(call);
    return other.value;
  }

  #journalKey(call: RoutedCall<unknown>): void {
    const owner = (this.#primary as Pool).cluster.owner(call.wireKey);
    if (owner === undefined) return;
    if ((this.#journal as OutageJournal).record(call.wireKey, owner.name)) {
      this.#events.note('journalOverflows', 'journal-overflow', call, { from: owner.name });
    }
    this.#events.note('journaled', 'journal', call, { from: owner.name });
  }

  #deleteOf<T>(call: RoutedCall<T>): RoutedCall<boolean> {
    return { ...call, kind: 'delete', spec: DELETE, request: { op: Op.delete, key: call.wireKey } };
  }

  #note(call: RoutedCall<unknown>, at: number, error: unknown): void {
    const from = this.#children[at]?.pools.map((pool) => pool.name).join('+');
    const to = this.#children[at + 1]?.pools.map((pool) => pool.name).join('+');
    this.#events.note('failovers', 'failover', call, { from, to, error });
  }
}

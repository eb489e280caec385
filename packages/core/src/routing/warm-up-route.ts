import type { Server } from '../cluster/server.ts';
import { isLeaseStub } from '../commands/leases.ts';
import { MORE_REPLIES, type OperationSpec } from '../commands/operation.ts';
import { expirationFor } from '../commands/ttl.ts';
import { ADD, DELETE } from '../commands/writes.ts';
import { Op } from '../protocol/command.ts';
import { ReplyStatus } from '../protocol/reply.ts';
import type { Pool } from './pool.ts';
import { isMiss, type Route, type RoutedCall, settleQuietly } from './route.ts';
import type { RouteEvents } from './route-events.ts';

export interface WarmUpSettings {
  /** The pool to warm from; undefined: the child's servers before their last change. */
  readonly from: Pool | undefined;
  /** Seconds a warmed copy lives (0: never expires). */
  readonly ttl: number;
  /** Milliseconds after a change of servers that moved keys are read from their previous server. */
  readonly windowMs: number;
}

/** A warm-up read's answer: the caller's result, and the item's bytes to copy on a hit. */
interface WarmRead<T> {
  readonly result: T;
  readonly copy: { readonly value: Buffer; readonly flags: number } | undefined;
}

/**
 * Warms a pool after a scale-out (or from another pool): a read that misses on the child is read
 * from where the key lived before, and a hit is added to the child (`add`, so a newer write made
 * meanwhile wins). Writes and deletes also delete the key where a later warm-up would read it (if
 * that server is up), so no warm-up brings back a value overwritten or deleted through this route
 * (mcrouter's WarmUpRoute); a value read while this process wrote the key is returned, not copied.
 */
export class WarmUpRoute implements Route {
  readonly pools: readonly Pool[];
  readonly #child: Pool;
  readonly #settings: WarmUpSettings;
  readonly #events: RouteEvents;
  /**
   * Keys being warmed, and whether this process wrote or deleted one meanwhile: then the value
   * read from the old owner may predate that write, and is not copied (it would bring it back).
   */
  readonly #warming = new Map<string, { reads: number; overtaken: boolean }>();

  constructor(child: Pool, settings: WarmUpSettings, events: RouteEvents) {
    this.#child = child;
    this.#settings = settings;
    this.#events = events;
    this.pools = settings.from === undefined ? [child] : [child, settings.from];
  }

  async run<T>(call: RoutedCall<T>): Promise<T> {
    const child = this.#child;
    if (call.kind === 'lease') return child.send(call);
    if (call.kind === 'read') {
      const result = await child.send(call);
      return isMiss(call, result) ? this.#warm(call, result) : result;
    }
    const warming = this.#warming.get(call.wireKey);
    if (warming !== undefined) warming.overtaken = true;
    const source = this.#source(call.wireKey);
    if (source === undefined) return child.send(call);
    // The old copy's delete goes to that server alone, and its failure is not the caller's: the
    // write itself was answered by the child.
    const drop = { ...call, kind: 'delete' as const, spec: DELETE, request: { op: Op.delete, key: call.wireKey } };
    const dropped = source.pool
      .sendTo(source.server, drop, true)
      .catch((error: unknown) => this.#events.backgroundFailure(call, error));
    const [answer] = await Promise.all([child.send(call), dropped]);
    return answer;
  }

  /** Where the key lived before, if that server is up: its previous owner in the child, or its owner in `from`. */
  #source(wireKey: string): { pool: Pool; server: Server } | undefined {
    const source = this.#sourceServer(wireKey);
    return source?.server.available === true ? source : undefined;
  }

  #sourceServer(wireKey: string): { pool: Pool; server: Server } | undefined {
    const from = this.#settings.from;
    if (from === undefined) {
      const server = this.#child.cluster.previousOwner(wireKey, this.#settings.windowMs);
      return server === undefined ? undefined : { pool: this.#child, server };
    }
    const server = from.cluster.routeIfAny(wireKey);
    return server === undefined ? undefined : { pool: from, server };
  }

  async #warm<T>(call: RoutedCall<T>, miss: T): Promise<T> {
    const source = this.#source(call.wireKey);
    if (source === undefined) return miss;
    const key = call.wireKey;
    const warming = this.#warming.get(key) ?? { reads: 0, overtaken: false };
    this.#warming.set(key, warming);
    warming.reads++;
    try {
      return await this.#copy(call, miss, source, warming);
    } finally {
      if (--warming.reads === 0) this.#warming.delete(key);
    }
  }

  /** Reads the old owner and, on a hit nobody here overtook, adds the item to the child. */
  async #copy<T>(
    call: RoutedCall<T>,
    miss: T,
    source: { pool: Pool; server: Server },
    warming: { overtaken: boolean },
  ): Promise<T> {
    let read: WarmRead<T>;
    try {
      read = await source.pool.sendTo(source.server, { ...call, spec: warmSpec(call.spec) }, true);
    } catch {
      return miss; // the old owner is a bonus: its failure is the miss the caller had anyway
    }
    const copy = read.copy;
    if (copy === undefined || warming.overtaken) return read.result;
    this.#events.note('warmHits', 'warm-hit', call, { from: source.server.name });
    const { value, flags } = copy;
    const add = {
      op: Op.add,
      key: call.wireKey,
      value,
      flags,
      expiration: expirationFor(this.#settings.ttl, 'warmUp'),
    };
    const written = this.#child.send({ ...call, kind: 'write', spec: ADD, request: add });
    settleQuietly(written.then((stored) => stored && this.#events.stats.warmCopies++));
    return read.result;
  }
}

/** The caller's operation, decoding also the item's bytes and flags on a hit, to copy them as they are. */
function warmSpec<T>(spec: OperationSpec<T>): OperationSpec<WarmRead<T>> {
  return {
    name: spec.name,
    idempotent: true,
    read: true,
    decode(reply, context) {
      const result = spec.decode(reply, context);
      if (result === MORE_REPLIES) return MORE_REPLIES;
      const hit = reply.status === ReplyStatus.ok && !isLeaseStub(reply);
      const copy = hit
        ? { value: Buffer.from(reply.buffer.subarray(reply.valueStart, reply.valueEnd)), flags: reply.flags }
        : undefined;
      return { result, copy };
    },
  };
}

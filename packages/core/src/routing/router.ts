import type { Cluster } from '../cluster/cluster.ts';
import type { Server } from '../cluster/server.ts';
import type { BatchKey, BatchKind, OperationSpec } from '../commands/operation.ts';
import { type CommandContext, traceCommand } from '../diagnostics/diagnostics.ts';
import type { DalliError } from '../errors.ts';
import { BatchError } from '../errors.ts';
import type { Command } from '../protocol/command.ts';
import type { Pool } from './pool.ts';
import { type Route, type RoutedCall, type RouteKind, routeKindOf } from './route.ts';
import type { RouteEvents } from './route-events.ts';

/** How one call's requests are sent: the same for each key of a multi-key call. */
export interface CallSettings {
  readonly raw: boolean;
  readonly timeout: number | undefined;
  readonly signal: AbortSignal | undefined;
}

/** The compiled `routes` option: a route per command name and per kind. */
export interface RouteTable {
  readonly byName: ReadonlyMap<string, Route>;
  readonly byKind: Readonly<Record<RouteKind, Route>>;
}

/**
 * The routing layer between the dispatcher and the pools: each keyed request takes its command's
 * route (or its kind's), and a multi-key call's keys each take theirs, their answers gathered into
 * the call's result as a batch gathers them.
 */
export class Router {
  readonly events: RouteEvents;
  readonly pools: ReadonlyMap<string, Pool>;
  readonly #table: RouteTable;

  constructor(pools: ReadonlyMap<string, Pool>, table: RouteTable, events: RouteEvents) {
    this.pools = pools;
    this.#table = table;
    this.events = events;
  }

  /** Every server of every pool, each once: where a flush, stats or version goes. */
  get servers(): Server[] {
    return [...new Set([...this.pools.values()].flatMap((pool) => pool.cluster.servers))];
  }

  /** One keyed request through its route; traced as one command, naming every server it reached. */
  keyed<T>(
    spec: OperationSpec<T>,
    op: Command['op'],
    wireKey: string,
    request: Command,
    settings: CallSettings,
    trace: CommandContext | undefined,
  ): Promise<T> {
    const kind = routeKindOf(spec, op);
    const route = this.#route(spec, kind);
    const call: RoutedCall<T> = { spec, kind, wireKey, request, ...settings, trail: trace?.servers };
    if (trace === undefined) return route.run(call);
    return traceCommand(
      trace,
      () => route.run(call),
      (result) => {
        if (spec.read === true) trace.hit = result !== undefined;
      },
    );
  }

  /**
   * A multi-key call with each key through its route: `requests[i]` is key i's request (built
   * quiet by its kind; sent here as a plain request, so every key gets an answer).
   */
  batch<V, A>(
    kind: BatchKind<Map<string, V>, A>,
    keys: readonly string[],
    wireKeys: readonly string[],
    requests: readonly Command[],
    settings: CallSettings,
    trace: CommandContext | undefined,
  ): Promise<Map<string, V>> {
    if (trace === undefined) return this.#batch(kind, keys, wireKeys, requests, settings);
    const run = (): Promise<Map<string, V>> => this.#batch(kind, keys, wireKeys, requests, settings, trace.servers);
    return traceCommand(trace, run, (results) => {
      if (!kind.idempotent) return;
      trace.hits = results.size;
      trace.misses = keys.length - results.size;
    });
  }

  async #batch<V, A>(
    kind: BatchKind<Map<string, V>, A>,
    keys: readonly string[],
    wireKeys: readonly string[],
    requests: readonly Command[],
    settings: CallSettings,
    trail?: string[],
  ): Promise<Map<string, V>> {
    const results = kind.results();
    const errors = new Map<string, DalliError>();
    const answers = keys.map((key, i) => {
      const spec = keySpec(kind, key, wireKeys[i] as string);
      const request = { ...(requests[i] as Command), quiet: false };
      const wireKey = wireKeys[i] as string;
      const call: RoutedCall<V | undefined> = {
        spec,
        kind: routeKindOf(spec, kind.op),
        wireKey,
        request,
        ...settings,
        trail,
      };
      return this.#route(spec, call.kind)
        .run(call)
        .then(
          (value) => {
            if (value !== undefined) results.set(key, value);
          },
          (error: DalliError) => void errors.set(key, error),
        );
    });
    await Promise.all(answers);
    if (errors.size > 0) throw new BatchError(kind.operation, results, errors, keys.length);
    return results;
  }

  #route(spec: OperationSpec<unknown>, kind: RouteKind): Route {
    return this.#table.byName.get(spec.name) ?? this.#table.byKind[kind];
  }

  /** No more retries; the servers of the pools other than 'main' close (main's close with the client). */
  async close(main: Cluster): Promise<void> {
    for (const pool of this.pools.values()) pool.close();
    const others = [...this.pools.values()].filter((pool) => pool.cluster !== main);
    await Promise.all(others.flatMap((pool) => pool.cluster.servers.map((server) => server.close())));
  }
}

/** One key of a multi-key call as a single request: its kind's reading of the reply, for this key alone. */
function keySpec<V, A>(kind: BatchKind<Map<string, V>, A>, key: string, wireKey: string): OperationSpec<V | undefined> {
  return {
    name: kind.operation,
    idempotent: kind.idempotent,
    read: kind.idempotent,
    decode(reply, context) {
      const mine = kind.results();
      const { server, operation, codec, raw } = context;
      const part: BatchKey = { server, operation, codec, raw, routeKey: wireKey, key, wireKey };
      kind.record(part, reply, mine);
      return mine.get(key);
    },
  };
}

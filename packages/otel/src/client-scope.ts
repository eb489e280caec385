import type { ObservedClient } from './channel-messages.ts';

/**
 * Which clients a subscription reports: one (`instrument(client)`), or every `@dalli/core` client
 * in the process (`DalliInstrumentation`). The channels are process-wide; the scope decides which
 * messages count, and which clients the server gauges read.
 */
export interface ClientScope {
  /** Whether a message naming `client` counts (called at each operation's start). */
  accepts(client: object): boolean;
  /** The clients whose servers the gauges read at each collection. */
  clients(): Iterable<ObservedClient>;
}

/** One client, named by the caller. */
export class OneClient implements ClientScope {
  readonly #client: ObservedClient;

  constructor(client: ObservedClient) {
    this.#client = client;
  }

  accepts(client: object): boolean {
    return client === this.#client;
  }

  clients(): Iterable<ObservedClient> {
    return [this.#client];
  }
}

/**
 * Every client: each is remembered the first time one of its operations starts, weakly (a
 * closed and dropped client is not kept alive for its gauges), so an operation of a known client
 * costs one WeakSet lookup.
 */
export class EveryClient implements ClientScope {
  readonly #known = new WeakSet<object>();
  readonly #refs = new Set<WeakRef<ObservedClient>>();

  accepts(client: object): boolean {
    if (!this.#known.has(client) && typeof (client as Partial<ObservedClient>).servers === 'function') {
      this.#known.add(client);
      this.#refs.add(new WeakRef(client as ObservedClient));
    }
    return true;
  }

  *clients(): Iterable<ObservedClient> {
    for (const ref of this.#refs) {
      const client = ref.deref();
      if (client === undefined) this.#refs.delete(ref);
      else yield client;
    }
  }
}

/** One server as the gauges report it, over every client in scope. */
export interface ServerFigures {
  readonly name: string;
  readonly up: boolean;
  /** Clients with a connection open to it. */
  readonly connections: number;
  /** Requests sent and not yet answered. */
  readonly inFlight: number;
}

/**
 * The servers of every client in scope, each once: a server two clients share is up only while
 * both count it up, and its connections and requests in flight are their sums.
 */
export function serversOf(scope: ClientScope): ServerFigures[] {
  const byName = new Map<string, { name: string; up: boolean; connections: number; inFlight: number }>();
  for (const client of scope.clients()) {
    for (const server of client.servers()) {
      const seen = byName.get(server.name);
      const connections = server.connected ? 1 : 0;
      if (seen === undefined)
        byName.set(server.name, { name: server.name, up: server.up, connections, inFlight: server.inFlight });
      else {
        seen.up &&= server.up;
        seen.connections += connections;
        seen.inFlight += server.inFlight;
      }
    }
  }
  return [...byName.values()];
}

import { clusterChangeChannel, publish } from '../diagnostics/diagnostics.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { Cluster } from './cluster.ts';
import { RingDiff } from './ring-diff.ts';
import { buildRingInSlices, nextSlice, SLICE_MS } from './rings/build-ring-in-slices.ts';
import type { Server } from './server.ts';
import { plainServerList } from './server-list.ts';
import { parseServerEntry, type ServerEntry } from './server-string.ts';

/** Makes the Server for an entry new to the cluster (with the client's TLS, timeouts, login…). */
export type ServerFactory = (entry: ServerEntry) => Server;

/** Who asked for a membership change: the app, or a discovery source. */
export type MembershipSource = 'setServers' | 'config' | 'dns' | 'srv';

/**
 * Changes a cluster's servers while requests are in flight. A server kept by name (and weight) keeps its
 * connection and its health; a new one connects on its first request; a removed one leaves the
 * ring at once and its connection closes once the requests already written to it are answered.
 * The ring diff is published on `dalli:cluster:change`.
 */
export class Membership {
  readonly #cluster: Cluster;
  readonly #makeServer: ServerFactory;
  readonly #client: object;
  /** Refuses a list the app gives that the client's options forbid (a preset's one endpoint). */
  readonly #checkCount: (count: number) => void;
  /** The change being applied: changes run one after another, each against the servers the last one left. */
  #applying: Promise<unknown> = Promise.resolve();

  constructor(cluster: Cluster, makeServer: ServerFactory, client: object, checkCount: (count: number) => void) {
    this.#cluster = cluster;
    this.#makeServer = makeServer;
    this.#client = client;
    this.#checkCount = checkCount;
    // A change asked for while a fleet's first ring is built follows it (and diffs against it).
    if (cluster.pending !== undefined) this.#applying = cluster.pending.catch(() => undefined);
  }

  /**
   * Makes `entries` (server strings, in ring order) the cluster. Resolves the ring diff, or
   * undefined when the list is the one in use. Bad entries throw before anything changes. The new
   * ring is built in slices, so the event loop keeps serving requests (on the old ring) meanwhile;
   * changes asked for while one is applied follow it in order.
   */
  async apply(entries: readonly string[], source: MembershipSource): Promise<RingDiff | undefined> {
    if (source === 'setServers') this.#checkCount(Array.isArray(entries) ? entries.length : 0);
    const checked = checkedEntries(entries);
    const change = this.#applying.then(() => this.#apply(checked, source));
    this.#applying = change.catch(() => undefined);
    return change;
  }

  async #apply(checked: readonly CheckedEntry[], source: MembershipSource): Promise<RingDiff | undefined> {
    const current = this.#cluster.servers;
    // A fleet's entries are read and its new servers made in slices, as its ring is built next.
    let sliceEnd = performance.now() + SLICE_MS;
    const byName = new Map<string, Server>();
    for (const server of current) {
      byName.set(server.name, server);
      if (performance.now() >= sliceEnd) sliceEnd = await nextSlice();
    }
    const servers: Server[] = [];
    const names = new Set<string>();
    let unchanged = checked.length === current.length;
    for (const item of checked) {
      const entry = typeof item === 'string' ? parseServerEntry(item) : item;
      // A plain list is checked for a name given twice here, before anything changes.
      if (names.has(entry.name)) throw twice();
      names.add(entry.name);
      const kept = byName.get(entry.name);
      // A server whose weight changed (an SRV record's, or setServers') is made anew: its ring share changes.
      const server = kept?.weight === entry.weight ? kept : this.#makeServer(entry);
      unchanged &&= server === current[servers.length];
      servers.push(server);
      if (performance.now() >= sliceEnd) sliceEnd = await nextSlice();
    }
    if (unchanged) return undefined;
    const listed = [...names];
    // Built in slices of a few milliseconds: a fleet's new ring never stalls the requests meanwhile.
    const ring = servers.length === 0 ? undefined : await buildRingInSlices(this.#cluster.distribution, servers);
    const { before, after } = this.#cluster.replace(servers, ring);
    const diff = new RingDiff(
      { names: current.map((server) => server.name), ring: before },
      { names: listed, ring: after },
    );
    publish(clusterChangeChannel, () => ({
      client: this.#client,
      source,
      servers: listed,
      added: diff.added,
      removed: diff.removed,
      movedShare: diff.movedShare,
      diff,
    }));
    const kept = new Set(servers);
    // Connection#close lets the requests already written finish before the socket goes.
    await Promise.all(current.filter((server) => !kept.has(server)).map((server) => server.close()));
    return diff;
  }
}

/** An entry checked, and parsed unless it is a plain `host:port` (read in slices later, named as written). */
type CheckedEntry = ServerEntry | string;

/** The entries, every one checked now (a bad one throws before anything changes). */
function checkedEntries(entries: readonly string[]): readonly CheckedEntry[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new InvalidArgumentError('setServers needs a non-empty array of server strings');
  }
  // A fleet's list of plain host:port entries: one regex test each now, each one's name its text
  // (read, and checked for a name given twice, in the slices that make its servers).
  const plain = plainServerList(entries, 0);
  if (plain !== undefined) return plain;
  const parsed = entries.map((entry: unknown) => {
    if (typeof entry !== 'string')
      throw new InvalidArgumentError('setServers needs a non-empty array of server strings');
    return parseServerEntry(entry);
  });
  const names = new Set(parsed.map((entry) => entry.name));
  if (names.size !== parsed.length) throw twice();
  return parsed;
}

function twice(): InvalidArgumentError {
  return new InvalidArgumentError('the server list names a server twice');
}

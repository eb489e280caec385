import { Client, type ClientOptions, InvalidArgumentError } from '@dalli/core';
import { OptimisticNamespace } from './optimistic-namespace.ts';

/**
 * What both Keyv adapters share: Keyv's storage contract translated onto the core client.
 * Keys live in a clearable namespace per Keyv namespace (one round trip per operation, see
 * {@link OptimisticNamespace}), so `clear()` never flushes the server; strings and bytes are
 * stored as they are and come back verbatim; expiry times become memcached TTLs (rounded up to
 * whole seconds, plus one tick of memcached's clock, so an entry lives at least its TTL; past 30
 * days sent as a Unix time by the core; an expiry already past deletes the key instead of writing it).
 */
export class DalliStorage {
  #client: Client;
  /** Opens a new client like the first; undefined when the client is the caller's to share. */
  readonly #reopen: (() => Client) | undefined;
  #disconnected = false;
  readonly #spaces = new Map<string, OptimisticNamespace>();
  #namespace: string | undefined;

  /** A new client for `servers` (with `options`), or the caller's own client to share. */
  constructor(servers: string | readonly string[] | Client | undefined, options: ClientOptions | undefined) {
    this.#reopen = Client.isClient(servers) ? undefined : () => new Client(servers, options);
    this.#client = Client.isClient(servers) ? servers : new Client(servers, options);
  }

  /** The client in use (after a `disconnect()`, the closed one until the next operation). */
  get client(): Client {
    return this.#client;
  }

  /** The Keyv namespace of every key, set by Keyv. */
  get namespace(): string | undefined {
    return this.#namespace;
  }

  /**
   * Keyv keeps its namespace on the adapter, not per call, so two Keyvs sharing one adapter would
   * read and clear each other's keys. `keyvs`: how many Keyvs hold the adapter, the one setting
   * the namespace included (the adapter counts them; the app's own `error` listeners are not
   * Keyvs). With more than one, a different namespace is refused; a single Keyv may change its
   * namespace at will.
   */
  setNamespace(namespace: string | undefined, keyvs: number): void {
    if (keyvs > 1 && namespace !== this.#namespace) {
      throw new InvalidArgumentError(
        `this adapter already serves the Keyv namespace "${this.#namespace ?? ''}" and cannot also serve "${namespace ?? ''}": ` +
          'Keyv keeps its namespace on the adapter, so two Keyvs sharing one would mix their keys. ' +
          'Give each Keyv its own adapter; adapters can share one Client (new KeyvDalli(client)).',
      );
    }
    this.#namespace = namespace;
  }

  get(space: string, key: string): Promise<unknown> {
    return this.#space(space).run('get', [key], ([wireKey]) => this.#live().get(wireKey as string));
  }

  getMany(space: string, keys: readonly string[]): Promise<unknown[]> {
    return this.#space(space).run('getMany', keys, async (wireKeys) => {
      const found = await this.#live().getMulti(wireKeys);
      return wireKeys.map((wireKey) => found.get(wireKey));
    });
  }

  /** `ttl`: milliseconds from now, or undefined for no expiry. */
  set(space: string, key: string, value: unknown, ttl: number | undefined): Promise<boolean> {
    return this.#space(space).run('set', [key], async ([wireKey]) => {
      if (ttl !== undefined && ttl <= 0) {
        await this.#live().delete(wireKey as string);
        return true;
      }
      return this.#live().set(wireKey as string, value, seconds(ttl), { raw: isRaw(value) });
    });
  }

  setMany(
    space: string,
    entries: readonly { key: string; value: unknown; ttl: number | undefined }[],
  ): Promise<boolean[]> {
    return this.#space(space).run(
      'setMany',
      entries.map((entry) => entry.key),
      async (wireKeys) => {
        // setMulti takes one TTL and one raw flag per call: group the entries that share them.
        const groups = new Map<string, { ttl: number | undefined; raw: boolean; entries: [string, unknown][] }>();
        const expired: string[] = [];
        entries.forEach(({ value, ttl }, i) => {
          const wireKey = wireKeys[i] as string;
          if (ttl !== undefined && ttl <= 0) {
            expired.push(wireKey);
            return;
          }
          const raw = isRaw(value);
          const id = `${seconds(ttl)}:${raw}`;
          const group = groups.get(id) ?? { ttl: seconds(ttl), raw, entries: [] };
          group.entries.push([wireKey, value]);
          groups.set(id, group);
        });
        await Promise.all([
          ...[...groups.values()].map((group) => this.#live().setMulti(group.entries, group.ttl, { raw: group.raw })),
          expired.length > 0 ? this.#live().deleteMulti(expired) : undefined,
        ]);
        return entries.map(() => true);
      },
    );
  }

  delete(space: string, key: string): Promise<boolean> {
    return this.#space(space).run('delete', [key], ([wireKey]) => this.#live().delete(wireKey as string));
  }

  deleteMany(space: string, keys: readonly string[]): Promise<boolean[]> {
    return this.#space(space).run('deleteMany', keys, async (wireKeys) => {
      const deleted = await this.#live().deleteMulti(wireKeys);
      return wireKeys.map((wireKey) => deleted.get(wireKey) === true);
    });
  }

  async has(space: string, key: string): Promise<boolean> {
    return (await this.get(space, key)) !== undefined;
  }

  clear(space: string): Promise<void> {
    return this.#space(space).clear();
  }

  /**
   * Closes the client if this adapter created it; a client passed in stays open for its owner.
   * The adapter stays usable: its next operation opens a new client with the same servers and
   * options. A NestJS module holds one store for every app built from it (the e2e-test pattern),
   * and each `app.close()` disconnects it.
   */
  async disconnect(): Promise<void> {
    if (this.#reopen === undefined) return;
    this.#disconnected = true;
    await this.#client.close();
  }

  /** The client for the next operation, reopened after a `disconnect()`. */
  #live(): Client {
    if (this.#disconnected && this.#reopen !== undefined) {
      this.#client = this.#reopen();
      this.#spaces.clear();
      this.#disconnected = false;
    }
    return this.#client;
  }

  #space(name: string): OptimisticNamespace {
    const client = this.#live();
    let space = this.#spaces.get(name);
    if (space === undefined) {
      space = new OptimisticNamespace(client, name);
      this.#spaces.set(name, space);
    }
    return space;
  }
}

/**
 * memcached's clock ticks in whole seconds, so an item stored for n seconds can expire up to a
 * second early; one more second makes it live at least its TTL. Keyv checks expiry to the
 * millisecond on reads, so the extra time is never seen through Keyv.
 */
const CLOCK_TICK = 1;

/** Milliseconds to the core's seconds (it rounds fractions up), plus a tick: 1 ms lives 2 s in memcached. */
function seconds(ttl: number | undefined): number | undefined {
  if (ttl === undefined) return 0;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl)) {
    throw new InvalidArgumentError(`the Keyv ttl must be a finite number of milliseconds, got ${String(ttl)}`);
  }
  return ttl / 1000 + CLOCK_TICK;
}

/** Text and bytes are stored as they are; anything else goes through the client's serializer. */
function isRaw(value: unknown): boolean {
  return typeof value === 'string' || value instanceof Uint8Array;
}

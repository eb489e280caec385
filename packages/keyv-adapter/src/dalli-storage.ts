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
  readonly client: Client;
  /** The client belongs to the caller, so `disconnect()` leaves it open. */
  readonly #shared: boolean;
  readonly #spaces = new Map<string, OptimisticNamespace>();
  #namespace: string | undefined;

  /** A new client for `servers` (with `options`), or the caller's own client to share. */
  constructor(servers: string | readonly string[] | Client | undefined, options: ClientOptions | undefined) {
    this.#shared = Client.isClient(servers);
    this.client = Client.isClient(servers) ? servers : new Client(servers, options);
  }

  /** The Keyv namespace of every key, set by Keyv. */
  get namespace(): string | undefined {
    return this.#namespace;
  }

  /**
   * Keyv keeps its namespace on the adapter, not per call, so two Keyvs sharing one adapter would
   * read and clear each other's keys. `keyvs`: how many Keyvs hold the adapter (each listens for
   * its `error` events). With more than one, a different namespace is refused; a single Keyv may
   * change its namespace at will.
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
    return this.#space(space).run('get', [key], ([wireKey]) => this.client.get(wireKey as string));
  }

  getMany(space: string, keys: readonly string[]): Promise<unknown[]> {
    return this.#space(space).run('getMany', keys, async (wireKeys) => {
      const found = await this.client.getMulti(wireKeys);
      return wireKeys.map((wireKey) => found.get(wireKey));
    });
  }

  /** `ttl`: milliseconds from now, or undefined for no expiry. */
  set(space: string, key: string, value: unknown, ttl: number | undefined): Promise<boolean> {
    return this.#space(space).run('set', [key], async ([wireKey]) => {
      if (ttl !== undefined && ttl <= 0) {
        await this.client.delete(wireKey as string);
        return true;
      }
      return this.client.set(wireKey as string, value, seconds(ttl), { raw: isRaw(value) });
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
          ...[...groups.values()].map((group) => this.client.setMulti(group.entries, group.ttl, { raw: group.raw })),
          expired.length > 0 ? this.client.deleteMulti(expired) : undefined,
        ]);
        return entries.map(() => true);
      },
    );
  }

  delete(space: string, key: string): Promise<boolean> {
    return this.#space(space).run('delete', [key], ([wireKey]) => this.client.delete(wireKey as string));
  }

  deleteMany(space: string, keys: readonly string[]): Promise<boolean[]> {
    return this.#space(space).run('deleteMany', keys, async (wireKeys) => {
      const deleted = await this.client.deleteMulti(wireKeys);
      return wireKeys.map((wireKey) => deleted.get(wireKey) === true);
    });
  }

  async has(space: string, key: string): Promise<boolean> {
    return (await this.get(space, key)) !== undefined;
  }

  clear(space: string): Promise<void> {
    return this.#space(space).clear();
  }

  async disconnect(): Promise<void> {
    if (!this.#shared) await this.client.close();
  }

  #space(name: string): OptimisticNamespace {
    let space = this.#spaces.get(name);
    if (space === undefined) {
      space = new OptimisticNamespace(this.client, name);
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

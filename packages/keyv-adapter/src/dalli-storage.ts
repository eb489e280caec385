import { ClearableNamespace, Client, type ClientOptions } from '@dalli/core';

/**
 * What both Keyv adapters share: Keyv's storage contract translated onto the core client.
 * Keys live in a {@link ClearableNamespace} per Keyv namespace, so `clear()` never flushes the
 * server; strings and bytes are stored as they are and come back verbatim; expiry times become
 * memcached TTLs (rounded up to whole seconds, at least 1; past 30 days sent as a Unix time by the
 * core; an expiry already past deletes the key instead of writing it).
 */
export class DalliStorage {
  readonly client: Client;
  /** The client belongs to the caller, so `disconnect()` leaves it open. */
  readonly #shared: boolean;
  readonly #spaces = new Map<string, ClearableNamespace>();

  /** A new client for `servers` (with `options`), or the caller's own client to share. */
  constructor(servers: string | readonly string[] | Client | undefined, options: ClientOptions | undefined) {
    this.#shared = servers instanceof Client;
    this.client = servers instanceof Client ? servers : new Client(servers, options);
  }

  async get(space: string, key: string): Promise<unknown> {
    return this.client.get(await this.#space(space).key(key));
  }

  async getMany(space: string, keys: readonly string[]): Promise<unknown[]> {
    const wireKeys = await this.#space(space).keys(keys);
    const found = await this.client.getMulti(wireKeys);
    return wireKeys.map((wireKey) => found.get(wireKey));
  }

  /** `ttl`: milliseconds from now, or undefined for no expiry. */
  async set(space: string, key: string, value: unknown, ttl: number | undefined): Promise<boolean> {
    const wireKey = await this.#space(space).key(key);
    if (ttl !== undefined && ttl <= 0) {
      await this.client.delete(wireKey);
      return true;
    }
    return this.client.set(wireKey, value, seconds(ttl), { raw: isRaw(value) });
  }

  async setMany(
    space: string,
    entries: readonly { key: string; value: unknown; ttl: number | undefined }[],
  ): Promise<boolean[]> {
    const wireKeys = await this.#space(space).keys(entries.map((entry) => entry.key));
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
  }

  async delete(space: string, key: string): Promise<boolean> {
    return this.client.delete(await this.#space(space).key(key));
  }

  async deleteMany(space: string, keys: readonly string[]): Promise<boolean[]> {
    const wireKeys = await this.#space(space).keys(keys);
    const deleted = await this.client.deleteMulti(wireKeys);
    return wireKeys.map((wireKey) => deleted.get(wireKey) === true);
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

  #space(name: string): ClearableNamespace {
    let space = this.#spaces.get(name);
    if (space === undefined) {
      space = new ClearableNamespace(this.client, name);
      this.#spaces.set(name, space);
    }
    return space;
  }
}

/** Milliseconds to the core's seconds; the core rounds fractions up, so 1 ms lives 1 s, never 0. */
function seconds(ttl: number | undefined): number | undefined {
  return ttl === undefined ? 0 : ttl / 1000;
}

/** Text and bytes are stored as they are; anything else goes through the client's serializer. */
function isRaw(value: unknown): boolean {
  return typeof value === 'string' || value instanceof Uint8Array;
}

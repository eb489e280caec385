import { type Client, escapeKey } from '@dalli/core';
import { judge, parseTagState, revalidated, type TagDurations, type TagState, type TagVerdict } from './tag-state.ts';

/** Attempts of the read-modify-write of one tag's state while other instances revalidate it too. */
const UPDATE_ATTEMPTS = 10;

/**
 * Every tag's revalidation state, shared by all instances through memcached: one small key per
 * tag, `<prefix>:tag:<tag>`, written without a TTL (an entry may outlive any given time, and its
 * tags must outlive it). Reading the tags of an entry is one `getMulti`, whatever their number.
 */
export class TagStore {
  readonly #client: () => Client;
  readonly #prefix: string;

  /** `client` is called on each operation (the handler may reopen its client). */
  constructor(client: () => Client, prefix: string) {
    this.#client = client;
    this.#prefix = `${prefix}:tag:`;
  }

  /** The verdict on an entry written at `timestamp` carrying `tags` (implicit tags included). */
  async judge(tags: Iterable<string>, timestamp: number): Promise<TagVerdict> {
    const keys = [...new Set([...tags].filter((tag) => tag.length > 0))].map((tag) => this.#key(tag));
    if (keys.length === 0) return 'fresh';
    const found = await this.#client().getMulti(keys);
    const states: (TagState | undefined)[] = [];
    for (const value of found.values()) states.push(parseTagState(value));
    return judge(states, timestamp, Date.now());
  }

  /** Records a revalidation of every tag at once (in parallel; each tag is its own key). */
  async revalidate(tags: Iterable<string>, durations?: TagDurations): Promise<void> {
    const unique = [...new Set([...tags].filter((tag) => tag.length > 0))];
    await Promise.all(unique.map((tag) => this.#revalidateOne(this.#key(tag), durations)));
  }

  /**
   * Creates the state with `add`, or else changes it with a CAS loop, so that two instances
   * revalidating one tag at the same moment never lose either revalidation.
   */
  async #revalidateOne(key: string, durations: TagDurations | undefined): Promise<void> {
    const client = this.#client();
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      if (await client.add(key, revalidated(undefined, Date.now(), durations), 0)) return;
      const written = await client.cas(key, 0, (value) => revalidated(parseTagState(value), Date.now(), durations), {
        maxAttempts: UPDATE_ATTEMPTS,
      });
      if (written === true) return;
      // undefined: the key vanished between add and cas (evicted or deleted); add again.
      if (written === false) break;
    }
    throw new TagUpdateError(`revalidating a tag lost the race to other writers ${UPDATE_ATTEMPTS} times in a row`);
  }

  #key(tag: string): string {
    return this.#prefix + escapeKey(tag);
  }
}

/** A tag's state could not be written: other instances kept changing it. */
export class TagUpdateError extends Error {
  override readonly name = 'TagUpdateError';
  readonly code = 'ERR_DALLI_NEXT_TAG_UPDATE';
}

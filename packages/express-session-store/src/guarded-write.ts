import type { Client } from '@dalli/core';
import { readStoredSession, type StoredSession } from './stored-session.ts';

/** Where a session is written and what: `record` builds the text with the generation it is written under. */
export interface SessionWrite {
  readonly client: Client;
  readonly key: string;
  readonly record: (generation: string) => string;
  readonly ttl: number;
  readonly currentGeneration: () => Promise<string>;
}

type Outcome = 'written' | 'refused' | 'destroyed';

/**
 * Writes a session record so that it can never undo a `destroy`, however late it reaches the
 * server (a write that timed out during a stall can still land after the destroy was
 * acknowledged). Every write is conditional: `add` when the key is absent, else a set with the
 * CAS token of the version it replaces. A destroy replaces the record with a tombstone, which
 * changes the CAS token and occupies the key, so any write prepared before it is refused; a
 * write that finds a tombstone is dropped.
 *
 * Parallel saves of one session end as with connect-redis or MemoryStore: a later save wins and
 * none fails. A write refused because another write landed after this save's own read, that is
 * while this save was running, means the two saves overlapped; an unconditional store could have
 * applied them in either order, so this save counts as applied just before that write, which
 * replaced it (a destroy included: the session stays destroyed). Only the CAS token of the
 * request's earlier read (`known`) may predate this save: when it is refused, the save reads
 * again and writes on top. So a save makes at most one read-and-write after `known`, whatever
 * the number of parallel requests: no retry rounds, no backoff, nothing to give up on. (This
 * relies on every change of the CAS token being a whole write: memcached's touch keeps it.) A
 * refusal because the key vanished (TTL, eviction) is no newer write: the save adds it again.
 *
 * Resolves false when the session was destroyed, true when the save stands or was replaced by a
 * later one.
 */
export async function writeSession(
  write: SessionWrite,
  known: { cas: bigint; generation: string } | undefined,
): Promise<boolean> {
  const { client, key, record, ttl } = write;
  if (known !== undefined && (await client.set(key, record(known.generation), ttl, { raw: true, cas: known.cas }))) {
    return true;
  }
  // Everything stored before this save began is in what this read returns.
  const [stored, generation] = await Promise.all([readStoredSession(client, key), write.currentGeneration()]);
  const text = record(generation);
  const outcome = await writeOver(write, stored, text);
  if (outcome !== 'refused') return outcome === 'written';
  const after = await readStoredSession(client, key);
  if (after === undefined) return (await writeOver(write, undefined, text)) !== 'destroyed';
  return after === 'unreadable' || after.record?.kind !== 'destroyed';
}

/** One conditional write over what the key was read to hold. */
async function writeOver({ client, key, ttl }: SessionWrite, stored: StoredSession, text: string): Promise<Outcome> {
  if (stored !== undefined && stored !== 'unreadable' && stored.record?.kind === 'destroyed') return 'destroyed';
  if (stored === undefined) return (await client.add(key, text, ttl, { raw: true })) ? 'written' : 'refused';
  if (stored === 'unreadable') {
    // Another client's value this one cannot decode (connect-memcached's, from an instance still
    // on it) has no CAS token to write against: it goes, and the add stays conditional, so a
    // destroy after the delete still wins. The one unconditional step: a destroy landing between
    // the read and the delete is undone, which needs a logout racing this save while another
    // store's client rewrites the key; express-session never saves an id it read as no session.
    await client.delete(key);
    return (await client.add(key, text, ttl, { raw: true })) ? 'written' : 'refused';
  }
  return (await client.set(key, text, ttl, { raw: true, cas: stored.cas })) ? 'written' : 'refused';
}

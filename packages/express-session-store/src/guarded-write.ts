import type { Client } from '@dalli/core';
import { decodeRecord } from './session-record.ts';

/** Refused writes in a row (others kept changing the session) before a save fails. */
const MAX_ATTEMPTS = 5;

/** A save lost the race against other writers of the same session too many times in a row. */
export class SessionConflictError extends Error {
  override readonly name = 'SessionConflictError';
  readonly code = 'ERR_DALLI_SESSION_CONFLICT';
}

/**
 * Writes a session record so that it can never undo a `destroy`, however late it reaches the
 * server (a write that timed out during a stall can still land after the destroy was
 * acknowledged). Every write is conditional: `add` when the key is absent, else a set with the
 * CAS token of the version it replaces. A destroy replaces the record with a tombstone, which
 * changes the CAS token and occupies the key, so any write prepared before it is refused; a
 * write that finds a tombstone is dropped. Last writer still wins: a refused write re-reads and
 * tries again against the newer version.
 *
 * `knownCas` (from this process's own read of the session) saves the re-read: the common case
 * is one round trip. `record` builds the text with the generation it is written under.
 * Resolves false when the session was destroyed and nothing was written.
 */
export async function writeSession(
  client: Client,
  key: string,
  record: (generation: string) => string,
  ttl: number,
  known: { cas: bigint; generation: string } | undefined,
  currentGeneration: () => Promise<string>,
): Promise<boolean> {
  if (known !== undefined && (await client.set(key, record(known.generation), ttl, { raw: true, cas: known.cas }))) {
    return true;
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [stored, generation] = await Promise.all([client.gets(key, { raw: true }), currentGeneration()]);
    if (stored === undefined) {
      if (await client.add(key, record(generation), ttl, { raw: true })) return true;
      continue;
    }
    if (decodeRecord(String(stored.value))?.kind === 'destroyed') return false;
    if (await client.set(key, record(generation), ttl, { raw: true, cas: stored.cas })) return true;
  }
  throw new SessionConflictError(`the session was changed by others ${MAX_ATTEMPTS} times while this save was retried`);
}

import { type CasValue, type Client, ValueDecodeError } from '@dalli/core';
import { decodeRecord, type StoredRecord } from './session-record.ts';

/**
 * What a session's key holds, read with its CAS token:
 * - undefined: nothing;
 * - `record` set: one of this store's records (a session or a tombstone);
 * - `record` undefined: bytes of another store (connect-memcached's JSON under the same key, say),
 *   kept as `text` for the migration to read;
 * - `unreadable`: a value the client could not even decode (connect-memcached's flag 2 read as
 *   Dalli's "compressed"), so no CAS token either.
 * Only this store's records are sessions: anything else must never fail a request.
 */
export type StoredSession =
  | undefined
  | { readonly cas: bigint; readonly record: StoredRecord | undefined; readonly text: string }
  | 'unreadable';

export async function readStoredSession(client: Client, key: string): Promise<StoredSession> {
  let stored: CasValue | undefined;
  try {
    stored = await client.gets(key, { raw: true });
  } catch (error) {
    if (error instanceof ValueDecodeError) return 'unreadable';
    throw error;
  }
  if (stored === undefined) return undefined;
  const text = String(stored.value);
  return { cas: stored.cas, record: decodeRecord(text), text };
}

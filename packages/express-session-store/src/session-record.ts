/**
 * How a session is stored: `v2:<generation>:<id length>:<id><data>`. The id travels with the data
 * so that a read can prove the record is the one it asked for: a record under the wrong key (a
 * bug, a hash collision, a misrouted reply) is refused, never served. The generation is the
 * store's namespace token when the record was written: a record of an older generation was
 * dropped by `clear()`. A destroyed session is a tombstone, `v2:!:<id length>:<id>`, that keeps
 * any delayed write from bringing the session back.
 */
const VERSION = 'v2';
const DESTROYED = '!';

export type StoredRecord =
  | { readonly kind: 'session'; readonly generation: string; readonly sid: string; readonly data: string }
  | { readonly kind: 'destroyed'; readonly sid: string };

export function encodeRecord(generation: string, sid: string, data: string): string {
  return `${VERSION}:${generation}:${sid.length}:${sid}${data}`;
}

export function encodeTombstone(sid: string): string {
  return `${VERSION}:${DESTROYED}:${sid.length}:${sid}`;
}

/** The record in `text`, or undefined when the text is not a record of this format. */
export function decodeRecord(text: string): StoredRecord | undefined {
  const match = /^v2:([^:]{1,64}):(\d{1,6}):/.exec(text);
  if (match === null) return undefined;
  const start = match[0].length;
  const end = start + Number(match[2]);
  if (end > text.length) return undefined;
  const sid = text.slice(start, end);
  if (match[1] === DESTROYED) return { kind: 'destroyed', sid };
  return { kind: 'session', generation: match[1] as string, sid, data: text.slice(end) };
}

/**
 * How a session is stored: its id, then its serialized data, as `v1:<id length>:<id><data>`. The
 * id travels with the data so that a read can prove the record is the one it asked for: a record
 * under the wrong key (a bug, a hash collision, a misrouted reply) is refused, never served.
 */
const VERSION = 'v1';

export function encodeRecord(sid: string, data: string): string {
  return `${VERSION}:${sid.length}:${sid}${data}`;
}

/** The record's id and data, or undefined when the text is not a record of this format. */
export function decodeRecord(text: string): { sid: string; data: string } | undefined {
  const match = /^v1:(\d{1,6}):/.exec(text);
  if (match === null) return undefined;
  const start = match[0].length;
  const end = start + Number(match[1]);
  if (end > text.length) return undefined;
  return { sid: text.slice(start, end), data: text.slice(end) };
}

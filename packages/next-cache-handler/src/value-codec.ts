/**
 * Next.js's incremental cache values hold `Buffer`s (RSC payloads, route bodies, images) and a
 * `Map` of segment payloads, which JSON alone would turn into arrays of numbers and `{}`. They are
 * written as tagged objects instead, bytes in base64, and restored on the way back.
 */
const BYTES = '$dalli:bytes';
const MAP = '$dalli:map';

/** The JSON text of `value`, with bytes and maps tagged. */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key: string, converted: unknown) {
    // JSON.stringify has already applied Buffer#toJSON to `converted`; the holder has the original.
    const original = this[key];
    if (original instanceof Uint8Array) return { [BYTES]: Buffer.from(original).toString('base64') };
    if (original instanceof Map) return { [MAP]: [...original.entries()] };
    return converted;
  });
}

/** The value of a text made by {@link encodeValue}, with its buffers and maps back. */
export function decodeValue(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const record = value as Record<string, unknown>;
    if (typeof record[BYTES] === 'string') return Buffer.from(record[BYTES], 'base64');
    if (Array.isArray(record[MAP])) return new Map(record[MAP] as [unknown, unknown][]);
    return value;
  });
}

/**
 * A value as `dalli get` shows it: text as it is, bytes as UTF-8 when they are valid UTF-8 and
 * as hex otherwise, anything the serializer gave back (objects, numbers, booleans) as indented JSON.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return bytesAsText(value);
  return JSON.stringify(value, null, 2);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function bytesAsText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return `hex:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`;
  }
}

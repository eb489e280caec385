/**
 * Turns values into bytes for memcached and back. Values it writes carry Dalli's "serialized" flag
 * (0x1), so a Ruby app using Dalli with the same format (`serializer: JSON`) reads them too.
 */
export interface Serializer {
  dump(value: unknown): string | Uint8Array;
  load(bytes: Buffer): unknown;
}

/** JSON, as Dalli's `serializer: JSON`. Values JSON cannot represent (a cycle, a BigInt, a function) are refused. */
export const jsonSerializer: Serializer = {
  dump(value: unknown): string {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`JSON cannot represent a value of type ${typeof value}`);
    return json;
  },
  load(bytes: Buffer): unknown {
    return JSON.parse(bytes.toString('utf8'));
  },
};

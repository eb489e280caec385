/** Bytes from a hex dump with any spacing or `|` separators, as the protocol document prints them. */
export function hex(dump: string): Buffer {
  return Buffer.from(dump.replace(/[\s|]/g, ''), 'hex');
}

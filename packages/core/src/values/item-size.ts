import { ValueTooLargeError } from '../errors.ts';

/**
 * Bytes memcached 1.6 adds to a value to make an item, beside the key's own bytes: the item
 * header (`struct _stritem`, 48 bytes on 64-bit builds), the key's NUL, the CAS (8 bytes; 0 with
 * `-C`, which we cannot see, so we count it), and the value's trailing CRLF. Client flags other
 * than 0 take 4 more bytes (memcached 1.6 stores them only when set). `do_item_alloc` refuses an
 * item over `item_size_max` (`-I`). Measured with memcached 1.6.18 at `-I 1m` and `-I 2m`: the
 * largest value stored is `item_size_max - key - 59`, or `- 63` with flags, for keys of 1 to
 * 250 bytes (test/integration/item-size.test.ts pins it).
 */
export const ITEM_OVERHEAD_BYTES: number = 48 + 1 + 8 + 2;
/** Client flags other than 0 are stored beside the item, as a 32-bit suffix. */
export const ITEM_FLAGS_BYTES: number = 4;

/** The bytes memcached needs to store a value of `valueBytes` under a key of `keyBytes` bytes with `flags`. */
export function itemBytes(keyBytes: number, valueBytes: number, flags: number): number {
  return ITEM_OVERHEAD_BYTES + keyBytes + (flags === 0 ? 0 : ITEM_FLAGS_BYTES) + valueBytes;
}

/**
 * Refuses, before any byte is sent, a write memcached would refuse: its item (value, key and
 * header) over `itemSizeMax`, the server's `-I` (the client's `valueMaxBytes`).
 */
export function checkItemSize(
  wireKey: string,
  value: { readonly length: number; readonly flags: number },
  itemSizeMax: number,
  operation: string,
): void {
  const keyBytes = Buffer.byteLength(wireKey, 'utf8');
  const needed = itemBytes(keyBytes, value.length, value.flags);
  if (needed <= itemSizeMax) return;
  throw new ValueTooLargeError(
    `value is ${value.length} bytes; with its ${keyBytes}-byte key and memcached's item header the item needs ${needed} bytes, over valueMaxBytes (memcached's -I) ${itemSizeMax}`,
    { operation },
  );
}

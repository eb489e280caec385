/**
 * `getKeys()` was called: memcached cannot list its keys (`lru_crawler metadump` sees one server at a
 * time, misses keys hashed past 250 bytes and cannot tell live generations from cleared ones), so
 * the driver refuses rather than answer an incomplete list.
 */
export class KeysUnsupportedError extends Error {
  override readonly name = 'KeysUnsupportedError';
  readonly code = 'ERR_DALLI_KEYS_UNSUPPORTED';
}

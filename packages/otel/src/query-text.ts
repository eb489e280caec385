/**
 * What `db.query.text` says about a single-key operation: `off` (the default: no key leaves the
 * process), `raw` (`get user:42:profile`), or `obfuscated` (`get user:?:profile`: numbers, long
 * hex runs and UUIDs become `?`, so the key's shape stays and its identifiers do not).
 */
export type QueryText = 'off' | 'raw' | 'obfuscated';

const IDENTIFIERS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|\d+/gi;

/** The key with its identifiers replaced by `?`. */
export function obfuscateKey(key: string): string {
  return key.replace(IDENTIFIERS, '?');
}

/** The `db.query.text` of an operation on `key`, or undefined when the mode is `off`. */
export function queryText(mode: QueryText, operation: string, key: string): string | undefined {
  if (mode === 'off') return undefined;
  return `${operation} ${mode === 'raw' ? key : obfuscateKey(key)}`;
}

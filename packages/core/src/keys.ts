import { InvalidKeyError } from './errors.ts';
import { MAX_KEY_LENGTH } from './protocol/index.ts';

/**
 * Checks a key before anything is sent. memcached closes a binary connection that sends a key over
 * 250 bytes, and keys with whitespace or control characters break text and meta protocol clients
 * that share the cluster, so both are refused here with a clear error.
 */
export function validateKey(key: unknown, operation: string): string {
  if (typeof key !== 'string') {
    throw new InvalidKeyError(`key must be a string, got ${key === null ? 'null' : typeof key}`, { operation });
  }
  if (key.length === 0) throw new InvalidKeyError('key must not be empty', { operation });
  if (hasForbiddenCharacter(key)) {
    throw new InvalidKeyError('key must not contain whitespace or control characters', { operation });
  }
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_LENGTH) {
    throw new InvalidKeyError(`key is ${bytes} bytes long; memcached allows at most ${MAX_KEY_LENGTH}`, { operation });
  }
  return key;
}

/** ASCII controls, space and DEL, plus the Unicode spaces and line separators. */
function hasForbiddenCharacter(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
    if (code >= 0x80 && isUnicodeSpaceOrControl(code)) return true;
  }
  return false;
}

function isUnicodeSpaceOrControl(code: number): boolean {
  return (
    code <= 0x9f ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

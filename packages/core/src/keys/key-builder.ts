import { createHash } from 'node:crypto';
import { InvalidArgumentError, InvalidKeyError } from '../errors.ts';
import { MAX_KEY_LENGTH } from '../protocol/command.ts';

/** Hex digest of a wire key, used to shorten keys over 250 bytes (Dalli's `digest_class`). */
export type KeyDigest = (key: string) => string;

/** Dalli's default: the MD5 hex digest of the key's UTF-8 bytes. */
export const md5KeyDigest: KeyDigest = (key) => createHash('md5').update(key, 'utf8').digest('hex');

/** Dalli's separator before the digest of a shortened key; it says md5 whatever the digest is. */
const TRUNCATED_KEY_SEPARATOR = ':md5:';
/** Dalli shortens keys to 249 bytes, or 250 with a namespace, "for historical reasons". */
const TRUNCATED_KEY_TARGET = 249;
/** No string of this many UTF-16 units can exceed 249 UTF-8 bytes (3 bytes per unit at most). */
const SURELY_SHORT = Math.floor(TRUNCATED_KEY_TARGET / 3);

/**
 * Dalli's key rules, measured in UTF-8 bytes: the namespace and ":" go in front; a wire key over
 * 250 bytes becomes its first 212 bytes (213 with a namespace, cut on a character boundary) plus
 * ":md5:" and the digest of the whole wire key. Keys that are empty, not well-formed Unicode, or
 * hold whitespace or control characters are refused: text and meta protocol clients sharing the
 * cluster could not use them.
 */
export class KeyBuilder {
  readonly namespace: string | undefined;
  readonly #prefix: string;
  readonly #digest: KeyDigest;

  constructor(namespace: string | undefined, digest: KeyDigest) {
    if (namespace !== undefined && (typeof namespace !== 'string' || !isPlainKeyText(namespace))) {
      throw new InvalidArgumentError(
        'option "namespace" must be a non-empty string without whitespace or control characters',
      );
    }
    this.namespace = namespace;
    this.#prefix = namespace === undefined ? '' : `${namespace}:`;
    this.#digest = digest;
  }

  /** The key as sent to memcached; throws {@link InvalidKeyError} for a key that cannot be sent. */
  wireKey(key: unknown, operation: string): string {
    if (typeof key !== 'string') {
      throw new InvalidKeyError(`key must be a string, got ${key === null ? 'null' : typeof key}`, { operation });
    }
    if (key.length === 0) throw new InvalidKeyError('key must not be empty', { operation });
    if (!isPlainKeyText(key)) {
      throw new InvalidKeyError('key must be well-formed Unicode without whitespace or control characters', {
        operation,
      });
    }
    const wire = this.#prefix + key;
    if (wire.length <= SURELY_SHORT || Buffer.byteLength(wire, 'utf8') <= MAX_KEY_LENGTH) return wire;
    return this.#shorten(wire, operation);
  }

  #shorten(wire: string, operation: string): string {
    const digest = this.#digest(wire);
    if (typeof digest !== 'string' || !/^[0-9a-zA-Z]+$/.test(digest)) {
      throw new InvalidArgumentError('option "digest" must return a non-empty alphanumeric (hex) string', {
        operation,
      });
    }
    const target = this.namespace === undefined ? TRUNCATED_KEY_TARGET : TRUNCATED_KEY_TARGET + 1;
    const prefixBytes = target - TRUNCATED_KEY_SEPARATOR.length - digest.length;
    if (prefixBytes < 0) {
      throw new InvalidArgumentError(`option "digest" returned ${digest.length} characters; at most 244 fit in a key`, {
        operation,
      });
    }
    return `${utf8Prefix(wire, prefixBytes)}${TRUNCATED_KEY_SEPARATOR}${digest}`;
  }
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // A continuation byte (10xxxxxx) at the cut means the character began before it: leave it out.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.toString('utf8', 0, end);
}

/** True for non-empty, well-formed text free of whitespace and control characters. */
function isPlainKeyText(text: string): boolean {
  if (text.length === 0) return false;
  // Printable ASCII, the common case, in one tight pass; anything else gets the full check.
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) break;
    i++;
  }
  return i === text.length || isPlainFrom(text, i);
}

function isPlainFrom(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isHighSurrogate(code)) {
      if (!isLowSurrogate(text.charCodeAt(i + 1))) return false;
      i++;
      continue;
    }
    if (isLowSurrogate(code) || isSpaceOrControl(code)) return false;
  }
  return true;
}

/** A UTF-16 unit no key may hold: ASCII or Unicode whitespace, or a control character. */
export function isSpaceOrControl(code: number): boolean {
  if (code < 0x80) return code <= 0x20 || code === 0x7f;
  return (
    code <= 0xa0 ||
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

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

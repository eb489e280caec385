import { isHighSurrogate, isLowSurrogate, isSpaceOrControl } from './key-builder.ts';

/**
 * Makes any string usable as a memcached key by percent-encoding what Dalli's key rules refuse
 * (whitespace, control characters, unpaired surrogates) and the `%` sign itself, so distinct
 * strings always give distinct keys (`"a"` and `"a "` stay apart). Plain keys pass unchanged.
 * For adapters whose frameworks allow arbitrary keys.
 */
export function escapeKey(key: string): string {
  let escaped = '';
  let start = 0;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    const pairEnd = isHighSurrogate(code) && isLowSurrogate(key.charCodeAt(i + 1)) ? i + 1 : i;
    if (pairEnd > i) {
      i = pairEnd;
      continue;
    }
    if (!needsEscape(code)) continue;
    escaped += key.slice(start, i) + percentEncode(code);
    start = i + 1;
  }
  return start === 0 ? key : escaped + key.slice(start);
}

/** What Dalli's key rules refuse (see keys.ts), lone surrogate halves, and `%`, the escape itself. */
function needsEscape(code: number): boolean {
  return code === 0x25 || isSpaceOrControl(code) || isHighSurrogate(code) || isLowSurrogate(code);
}

/** UTF-8 bytes as %XX; a lone surrogate (no UTF-8 form) as %uXXXX, so it stays distinct. */
function percentEncode(code: number): string {
  if (isHighSurrogate(code) || isLowSurrogate(code)) return `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return [...Buffer.from(String.fromCharCode(code), 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}

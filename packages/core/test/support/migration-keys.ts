/** A namespace some keys live under, written in full by the peer and through `namespace` by us. */
export const NAMESPACE = 'app';

/**
 * Keys as a migrating app has them: ASCII, unicode (Cyrillic, CJK, emoji with surrogate pairs),
 * long ones of 240 to 250 UTF-8 bytes, and namespaced ones (`app:`). All are valid for every peer:
 * no spaces or control characters, at most 250 bytes, so no client shortens them.
 */
export function migrationKeys(count: number, seed = ''): string[] {
  return Array.from({ length: count }, (_, i) => {
    switch (i % 5) {
      case 0:
        return `user:${seed}${i}`;
      case 1:
        return `ключ:${seed}${i}:日本語`;
      case 2:
        return `long:${seed}${i}:`.padEnd(240 + (i % 11), 'x');
      case 3:
        return `😀${seed}${i}:${'é'.repeat(i % 40)}`;
      default:
        return `${NAMESPACE}:session/${seed}${(i * 2654435761) % 4294967296}`;
    }
  });
}

/** The value each key is written with: its own, so a key found with another key's value is caught. */
export const valueFor = (key: string): string => `value of ${key}`;

/** Rows as aligned columns, separated by two spaces; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
        .join('  '),
    )
    .join('\n')
    .concat('\n');
}

/** Length on screen: ANSI colour sequences take no room. */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matches the ESC of colour sequences
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

const DEL_AND_C1 = /[\u007f-\u009f]/g;

/**
 * JSON for `--json`: two-space indented (or one line with `indent` 0), bigints as numbers'
 * digits. JSON escapes C0 controls itself; DEL and the C1 controls (a terminal may obey U+009B as
 * CSI) are escaped here too, so the output is safe on a terminal and parses to the same strings.
 */
export function json(value: unknown, indent = 2): string {
  const text = JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item), indent);
  return `${text.replace(DEL_AND_C1, unicodeEscape)}\n`;
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

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

/** JSON for `--json`: two-space indented, bigints as numbers' digits. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item), 2)}\n`;
}

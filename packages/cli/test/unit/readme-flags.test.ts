import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.ts';
import { connectionFlags } from '../../src/connection-flags.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first cell of every row of the table under `heading` (`\|` inside a cell is not a separator). */
function firstCells(heading: string): string[] {
  const section = README.split(/^## /m).find((part) => part.startsWith(heading));
  if (section === undefined) throw new Error(`the CLI README has no "## ${heading}" section`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) => (line.split(/(?<!\\)\|/)[1] ?? '').trim());
}

/** `--name` and `-x` as the user types them, for every flag in a parseArgs configuration. */
function spellings(flags: Readonly<Record<string, { short?: string }>>): string[] {
  return Object.entries(flags).flatMap(([name, flag]) => [`--${name}`, ...(flag.short ? [`-${flag.short}`] : [])]);
}

const mentions = (cell: string, flag: string): boolean =>
  new RegExp(`(^|[^\\w-])${flag.replace(/[-]/g, '\\-')}(?![\\w-])`).test(cell);

describe('the CLI README documents every flag dalli parses', () => {
  it.each(spellings(connectionFlags))('connection flag %s is in the connection flags table', (flag) => {
    expect(firstCells('Connection flags').some((cell) => mentions(cell, flag))).toBe(true);
  });

  const commandFlags = COMMANDS.flatMap((command) =>
    spellings(command.flags ?? {}).map((flag) => [command.name, flag] as const),
  );
  it.each(commandFlags)('%s %s is in that command’s row of the commands table', (name, flag) => {
    const rows = firstCells('Commands').filter((cell) => new RegExp(`\`${name}\\b`).test(cell));
    expect(rows).not.toEqual([]);
    expect(rows.some((cell) => mentions(cell, flag))).toBe(true);
  });
});

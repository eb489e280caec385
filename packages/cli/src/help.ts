import type { Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { CONNECTION_HELP } from './connection-flags.ts';

const EXIT_HELP = `Exit codes: 0 ok, 1 miss or not found, 2 usage error, 3 cluster error.`;

/** `dalli --help`: every command with an example, the connection flags and the exit codes. */
export function generalHelp(): string {
  const lines = COMMANDS.flatMap((command) => [
    `  ${command.name} ${command.usage}`,
    `      ${command.summary}`,
    `      e.g. ${command.example}`,
  ]);
  return [
    'dalli: the memcached command line, over @dalli/core',
    '',
    'Usage: dalli <command> [arguments] [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    CONNECTION_HELP,
    '',
    EXIT_HELP,
    'Run dalli <command> --help for one command, dalli --version for the version.',
    '',
  ].join('\n');
}

/** `dalli <command> --help`. */
export function commandHelp(command: Command): string {
  return [
    `Usage: dalli ${command.name} ${command.usage}`,
    '',
    command.summary,
    `Example: ${command.example}`,
    '',
    CONNECTION_HELP,
    '',
    EXIT_HELP,
    '',
  ].join('\n');
}

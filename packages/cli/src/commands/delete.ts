import type { Command } from '../command.ts';
import { ExitCode, errorLine } from '../exit-codes.ts';
import { positionals } from './arguments.ts';

/** `dalli delete <key>`: exit 1 when there was nothing to delete. */
export const del: Command = {
  name: 'delete',
  usage: '<key>',
  summary: 'delete a key (exit 1 if it was absent)',
  example: 'dalli delete session:abc',
  async run(context) {
    const [key] = positionals(context, ['key']) as [string];
    if (await context.client().delete(key)) return ExitCode.ok;
    context.io.stderr.write(errorLine(`${key}: not found`));
    return ExitCode.miss;
  },
};

import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { showValue } from '../format/value.ts';
import { positionals } from './arguments.ts';

/** `dalli get <key>`: the value as the client decodes it, or its stored bytes with `--raw`. */
export const get: Command = {
  name: 'get',
  usage: '<key> [--raw]',
  summary: 'print a value (JSON indented, bytes as UTF-8 or hex); --raw writes the stored bytes',
  example: 'dalli get user:42 --namespace app',
  flags: { raw: { type: 'boolean' } },
  async run(context) {
    const [key] = positionals(context, ['key']) as [string];
    const raw = context.flags.raw === true;
    const value = await context.client(raw ? { raw: true } : {}).get(key);
    if (value === undefined) {
      context.io.stderr.write(`dalli: ${key}: not found\n`);
      return ExitCode.miss;
    }
    context.io.stdout.write(raw ? (value as Uint8Array) : `${showValue(value)}\n`);
    return ExitCode.ok;
  },
};

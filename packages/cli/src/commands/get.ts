import type { Client } from '@dalli/core';
import type { Command } from '../command.ts';
import { ExitCode, errorLine } from '../exit-codes.ts';
import { escapeControlsKeepingLayout, screenText } from '../format/terminal-text.ts';
import { showValue } from '../format/value.ts';
import { positionals } from './arguments.ts';

/**
 * `dalli get <key>`: the value as the client decodes it (on a terminal with its control
 * characters escaped, line breaks and tabs kept), or its stored bytes with `--raw`.
 */
export const get: Command = {
  name: 'get',
  usage: '<key> [--raw]',
  summary:
    'print a value (JSON indented, bytes as UTF-8 or hex; control characters escaped on a terminal); --raw writes the stored bytes',
  example: 'dalli get user:42 --namespace app',
  flags: { raw: { type: 'boolean' } },
  async run(context) {
    const [key] = positionals(context, ['key']) as [string];
    const raw = context.flags.raw === true;
    const client = context.client();
    const value = raw ? await client.get(key, { raw: true }) : await readable(client, key);
    if (value === undefined) {
      context.io.stderr.write(errorLine(`${key}: not found`));
      return ExitCode.miss;
    }
    if (raw) context.io.stdout.write(value as Uint8Array);
    else context.io.stdout.write(`${screenText(context.io, false, escapeControlsKeepingLayout)(showValue(value))}\n`);
    return ExitCode.ok;
  },
};

/**
 * The client reads unflagged bytes as UTF-8 text, replacing what is not UTF-8 with U+FFFD; such a
 * value is read again as bytes so that `showValue` prints it as hex instead of mangled text.
 */
async function readable(client: Client, key: string): Promise<unknown> {
  const value = await client.get(key);
  if (typeof value !== 'string' || !value.includes('\uFFFD')) return value;
  return (await client.get(key, { raw: true })) ?? value;
}

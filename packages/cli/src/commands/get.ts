import type { Client } from '@dalli/core';
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
    const client = context.client();
    const value = raw ? await client.get(key, { raw: true }) : await readable(client, key);
    if (value === undefined) {
      context.io.stderr.write(`dalli: ${key}: not found\n`);
      return ExitCode.miss;
    }
    context.io.stdout.write(raw ? (value as Uint8Array) : `${showValue(value)}\n`);
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

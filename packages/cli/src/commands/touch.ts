import type { Command } from '../command.ts';
import { seconds } from '../connection-flags.ts';
import { ExitCode, errorLine, UsageError } from '../exit-codes.ts';
import { positionals, stringFlag } from './arguments.ts';

/** `dalli touch <key> --ttl SECONDS`: a new TTL without reading the value. */
export const touch: Command = {
  name: 'touch',
  usage: '<key> --ttl SECONDS',
  summary: 'give a key a new TTL (0 = never expire; exit 1 if it is absent)',
  example: 'dalli touch session:abc --ttl 1800',
  flags: { ttl: { type: 'string' } },
  async run(context) {
    const [key] = positionals(context, ['key']) as [string];
    const ttlText = stringFlag(context, 'ttl');
    if (ttlText === undefined) throw new UsageError('touch needs --ttl SECONDS');
    if (await context.client().touch(key, seconds('--ttl', ttlText))) return ExitCode.ok;
    context.io.stderr.write(errorLine(`${key}: not found`));
    return ExitCode.miss;
  },
};

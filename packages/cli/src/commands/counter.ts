import type { Command } from '../command.ts';
import { seconds } from '../connection-flags.ts';
import { ExitCode, errorLine } from '../exit-codes.ts';
import { positionals, stringFlag, unsigned } from './arguments.ts';

/** `dalli incr` and `dalli decr`: the same command but for the direction. */
function counterCommand(name: 'incr' | 'decr', example: string): Command {
  return {
    name,
    usage: '<key> [amount] [--initial N] [--ttl SECONDS]',
    summary: `${name === 'incr' ? 'add to' : 'subtract from (stopping at 0)'} a counter and print its new value`,
    example,
    flags: { initial: { type: 'string' }, ttl: { type: 'string' } },
    async run(context) {
      const [key, amountText = '1'] = positionals(context, ['key', 'amount'], 1) as [string, string?];
      const amount = unsigned('amount', amountText);
      const initialText = stringFlag(context, 'initial');
      const initial = initialText === undefined ? undefined : unsigned('--initial', initialText);
      const ttlText = stringFlag(context, 'ttl');
      const ttl = ttlText === undefined ? undefined : seconds('--ttl', ttlText);
      const value = await context.client()[name](key, amount, ttl, initial);
      if (value === undefined) {
        context.io.stderr.write(errorLine(`${key}: not found (give --initial to create it)`));
        return ExitCode.miss;
      }
      context.io.stdout.write(`${value}\n`);
      return ExitCode.ok;
    },
  };
}

export const incr: Command = counterCommand('incr', 'dalli incr page:views 5 --initial 0');
export const decr: Command = counterCommand('decr', 'dalli decr stock:sku-1');

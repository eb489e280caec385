import type { CommandContext } from '../command.ts';
import { UsageError } from '../exit-codes.ts';

/** The positional arguments, checked for count. */
export function positionals(context: CommandContext, names: readonly string[], optional = 0): string[] {
  const { args } = context;
  const required = names.length - optional;
  if (args.length < required || args.length > names.length) {
    const expected = names.map((name, i) => (i < required ? `<${name}>` : `[${name}]`)).join(' ');
    throw new UsageError(`expected ${expected}, got ${args.length} argument${args.length === 1 ? '' : 's'}`);
  }
  return [...args];
}

/** An unsigned integer argument (a counter amount, a count), as a bigint so 64-bit counters fit. */
export function unsigned(name: string, text: string): bigint {
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be an unsigned integer (got "${text}")`);
  return BigInt(text);
}

/** A positive count: a limit, a sample size. */
export function count(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw new UsageError(`${name} must be an integer from 1 to ${max} (got "${text}")`);
  }
  return value;
}

/** A flag given as a string (parseArgs types every flag value loosely). */
export function stringFlag(context: CommandContext, name: string): string | undefined {
  return context.flags[name] as string | undefined;
}

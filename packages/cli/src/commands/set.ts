import type { Command } from '../command.ts';
import { seconds } from '../connection-flags.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { positionals, stringFlag } from './arguments.ts';

/** `dalli set <key> <value|->`: stores a string, JSON (`--json`) or raw bytes (`--raw`). */
export const set: Command = {
  name: 'set',
  usage: '<key> <value|-> [--ttl SECONDS] [--json | --raw]',
  summary: 'store a value ("-" reads stdin); --json stores parsed JSON, --raw stores bytes unserialized',
  example: `dalli set feature:flags '{"beta":true}' --json --ttl 3600`,
  flags: { ttl: { type: 'string' }, json: { type: 'boolean' }, raw: { type: 'boolean' } },
  async run(context) {
    const [key, given] = positionals(context, ['key', 'value']) as [string, string];
    const { json, raw } = context.flags;
    if (json && raw) throw new UsageError('--json and --raw exclude each other');
    const ttlText = stringFlag(context, 'ttl');
    const ttl = ttlText === undefined ? undefined : seconds('--ttl', ttlText);
    const bytes = given === '-' ? await readAll(context.io) : Buffer.from(given, 'utf8');
    const value = raw ? bytes : json ? parseJson(bytes) : bytes.toString('utf8');
    await context.client().set(key, value, ttl, { raw: raw === true });
    return ExitCode.ok;
  },
};

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new UsageError(`--json: the value is not JSON (${(error as Error).message})`);
  }
}

async function readAll(io: Io): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

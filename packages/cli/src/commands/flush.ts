import { createInterface } from 'node:readline/promises';
import type { Command } from '../command.ts';
import { seconds } from '../connection-flags.ts';
import { ExitCode } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { positionals, stringFlag } from './arguments.ts';

/** `dalli flush`: invalidates every item on every server, after a confirmation unless `--yes`. */
export const flush: Command = {
  name: 'flush',
  usage: '[--delay SECONDS] [--yes]',
  summary: 'invalidate every item on every server (asks first unless --yes; --delay staggers servers)',
  example: 'dalli flush --servers 127.0.0.1:11211 --yes',
  flags: { delay: { type: 'string' }, yes: { type: 'boolean', short: 'y' } },
  async run(context) {
    positionals(context, []);
    const delayText = stringFlag(context, 'delay');
    const delay = delayText === undefined ? 0 : seconds('--delay', delayText);
    const client = context.client();
    // Names as the client gives them: a server entry may carry credentials (user:pass@host).
    const servers = client.servers().map((server) => server.name);
    const question = `Flush every item on ${servers.length} server${servers.length === 1 ? '' : 's'} (${servers.join(', ')})? [y/N] `;
    if (context.flags.yes !== true && !(await confirmed(context.io, question))) {
      context.io.stderr.write('dalli: flush not confirmed; nothing flushed\n');
      return ExitCode.miss;
    }
    const results = await client.flush(delay);
    for (const [server, done] of Object.entries(results))
      context.io.stdout.write(`${server}: ${done ? 'flushed' : 'refused'}\n`);
    return Object.values(results).every(Boolean) ? ExitCode.ok : ExitCode.cluster;
  },
};

/** Asks on stderr (stdout may be piped) and reads one answer line; end of input is a no. */
async function confirmed(io: Io, question: string): Promise<boolean> {
  const prompt = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  try {
    io.stderr.write(question);
    const answer = await new Promise<string | undefined>((resolve) => {
      prompt.once('line', resolve);
      prompt.once('close', () => resolve(undefined));
    });
    return answer !== undefined && /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

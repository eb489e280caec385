import type { Command } from '../command.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { json, table } from '../format/table.ts';
import { bar, movedShare, owners, type RingSpread, spread } from '../ring-spread.ts';
import { count } from './arguments.ts';

const MAX_SAMPLE = 1_000_000;

/** `dalli ring`: the share of keys each server owns, and what a change of servers would move. */
export const ring: Command = {
  name: 'ring',
  usage: '[--add host:port]… [--remove host:port]… [--sample N] [--json]',
  summary: 'share of keys per server for the distribution; with --add/--remove, the share of keys that move',
  example: 'dalli ring --servers a:11211,b:11211 --distribution ketama --add c:11211',
  flags: {
    add: { type: 'string', multiple: true },
    remove: { type: 'string', multiple: true },
    sample: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(context) {
    const sample = count('--sample', (context.flags.sample as string | undefined) ?? '100000', MAX_SAMPLE);
    const current = context.client();
    const before = owners(current, sample);
    const result: { current: RingSpread; changed?: RingSpread; moved?: number } = { current: spread(current, before) };
    const changedServers = changedList(
      context.connection.servers,
      current.servers().map((s) => s.name),
      context.flags,
    );
    if (changedServers !== undefined) {
      const changed = context.client({}, changedServers);
      const after = owners(changed, sample);
      Object.assign(result, { changed: spread(changed, after), moved: movedShare(before, after) });
    }
    context.io.stdout.write(context.flags.json ? json(result) : asText(result));
    return ExitCode.ok;
  },
};

/** The server list after `--add` and `--remove`, or undefined when neither is given. */
function changedList(
  entries: readonly string[],
  names: readonly string[],
  flags: { readonly [name: string]: unknown },
): string[] | undefined {
  const added = (flags.add as string[] | undefined) ?? [];
  const removed = (flags.remove as string[] | undefined) ?? [];
  if (added.length === 0 && removed.length === 0) return undefined;
  for (const name of removed) {
    if (!names.includes(name) && !entries.includes(name)) throw new UsageError(`--remove ${name}: not in --servers`);
  }
  const kept = entries.filter((entry, i) => !removed.includes(entry) && !removed.includes(names[i] as string));
  const list = [...kept, ...added];
  if (list.length === 0) throw new UsageError('--remove leaves no server');
  return list;
}

function asText(result: { current: RingSpread; changed?: RingSpread; moved?: number }): string {
  const lines = [
    `distribution ${result.current.distribution}, ${result.current.sampleKeys} sample keys\n`,
    shareTable(result.current),
  ];
  if (result.changed !== undefined && result.moved !== undefined) {
    lines.push('\nafter the change:\n', shareTable(result.changed));
    lines.push(`\n${(result.moved * 100).toFixed(1)}% of keys move to another server\n`);
  }
  return lines.join('');
}

function shareTable(spread: RingSpread): string {
  return table(spread.shares.map(({ server, share }) => [server, `${(share * 100).toFixed(1)}%`, bar(share, 40)]));
}

import type { Command } from '../command.ts';
import { ExitCode, errorLine, UsageError } from '../exit-codes.ts';
import { json, table } from '../format/table.ts';
import { escapeControls, screenText } from '../format/terminal-text.ts';
import { askEveryServer, type PerServer, perServerClients } from '../per-server.ts';
import { bytes, duration, percent, type RawStats, summarize } from '../stats-figures.ts';
import { positionals } from './arguments.ts';

/** `dalli stats [group]`: a table per server, with the derived figures for the general group. */
export const stats: Command = {
  name: 'stats',
  usage: '[group] [--json | --raw]',
  summary:
    'statistics per server: hit ratio, evictions/s, memory, connections, items, uptime, version (control characters escaped on a terminal unless --raw)',
  example: 'dalli stats --json   (or: dalli stats slabs)',
  flags: { json: { type: 'boolean' }, raw: { type: 'boolean' } },
  async run(context) {
    const [group] = positionals(context, ['group'], 1);
    if (context.flags.json && context.flags.raw) throw new UsageError('--json and --raw exclude each other');
    const answers = await askEveryServer(perServerClients(context), async (client) => {
      const byServer = await client.stats(group);
      return Object.values(byServer)[0] as RawStats;
    });
    const { stdout, stderr } = context.io;
    const show = screenText(context.io, context.flags.raw === true, escapeControls);
    if (context.flags.json) stdout.write(json(Object.fromEntries(answers.map((answer) => asJson(answer, group)))));
    else stdout.write(answers.map((answer) => asText(answer, group, show)).join('\n'));
    const failed = answers.filter((answer) => !answer.ok);
    for (const answer of failed) if (!answer.ok) stderr.write(errorLine(`${answer.name}: ${answer.error}`));
    return failed.length > 0 ? ExitCode.cluster : ExitCode.ok;
  },
};

function asJson(answer: PerServer<RawStats>, group: string | undefined): [string, unknown] {
  if (!answer.ok) return [answer.name, { error: answer.error }];
  return [answer.name, group === undefined ? { summary: summarize(answer.value), stats: answer.value } : answer.value];
}

/** A server's table; what the server sent goes through `show` (escaped on a terminal), its errors always escaped. */
function asText(answer: PerServer<RawStats>, group: string | undefined, show: (text: string) => string): string {
  const heading = `== ${answer.name}\n`;
  if (!answer.ok) return `${heading}unreachable: ${escapeControls(answer.error)}\n`;
  if (group !== undefined)
    return heading + table(Object.entries(answer.value).map(([name, value]) => [show(name), show(value)]));
  const s = summarize(answer.value);
  return (
    heading +
    table([
      ['version', s.version === undefined ? '-' : show(s.version)],
      ['uptime', duration(s.uptimeSeconds)],
      ['connections', `${s.connections} open, ${s.totalConnections} since start`],
      ['items', String(s.items)],
      ['memory', `${bytes(s.bytesUsed)} of ${bytes(s.bytesLimit)} (${percent(s.memoryUsedRatio)})`],
      ['hit ratio', percent(s.hitRatio)],
      ['evictions', `${s.evictions} (${s.evictionsPerSecond.toFixed(2)}/s since start)`],
    ])
  );
}

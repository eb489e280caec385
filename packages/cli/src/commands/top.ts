import { setTimeout as sleep } from 'node:timers/promises';
import type { Command, CommandContext } from '../command.ts';
import { seconds } from '../connection-flags.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { json } from '../format/table.ts';
import { perServerClients } from '../per-server.ts';
import { keyRowsJson, keyRowsStatus, renderKeyRows, sampleKeys } from '../top-keys.ts';
import { runLive } from '../top-live.ts';
import { TopSampler } from '../top-sampler.ts';
import { renderRows } from '../top-screen.ts';
import { count, positionals, stringFlag } from './arguments.ts';

/** `dalli top`: every server's activity, live in the terminal, or one sample with `--once`. */
export const top: Command = {
  name: 'top',
  usage: '[--interval SECONDS] [--keys [--limit N]] [--once [--json]]',
  summary:
    'live view of every server: ops/s by command, hit ratio, evictions, bytes in/out, connections; --keys: the most fetched keys (watch fetchers)',
  example: 'dalli top --servers 10.0.0.1:11211,10.0.0.2:11211   (or --once --json in a script; --keys for hot keys)',
  flags: {
    interval: { type: 'string' },
    once: { type: 'boolean' },
    json: { type: 'boolean' },
    keys: { type: 'boolean' },
    limit: { type: 'string' },
  },
  async run(context) {
    positionals(context, []);
    const interval = seconds('--interval', stringFlag(context, 'interval') ?? '1');
    if (interval < 0.1) throw new UsageError('--interval must be at least 0.1 seconds');
    if (context.flags.keys === true) return topKeys(context, interval * 1000);
    if (context.flags.limit !== undefined) throw new UsageError('--limit goes with --keys');
    const servers = perServerClients(context, interval);
    const sampler = new TopSampler(servers);
    if (context.flags.once !== true) {
      if (context.flags.json) throw new UsageError('--json goes with --once');
      if (context.io.stdout.isTTY !== true) throw new UsageError('top needs a terminal; use --once in scripts');
      const heading = `dalli top: ${servers.length} server${servers.length === 1 ? '' : 's'}, every ${interval}s; q to quit`;
      const render = async (first: boolean) =>
        `${renderRows(await sampler.sample(), true, sampler.watchesClient)}${first ? 'sampling…\n' : ''}`;
      return runLive(context.io, render, interval * 1000, heading);
    }
    await sampler.sample();
    await sleep(interval * 1000);
    const rows = await sampler.sample();
    const colour = context.io.stdout.isTTY === true && context.io.env.NO_COLOR === undefined;
    context.io.stdout.write(context.flags.json ? json(rows) : renderRows(rows, colour, sampler.watchesClient));
    return rows.every((row) => row.up) ? ExitCode.ok : ExitCode.cluster;
  },
};

/** `--keys`: each server's most fetched keys, watched for `intervalMs` at a time (memcached's `watch fetchers`). */
async function topKeys(context: CommandContext, intervalMs: number): Promise<ExitCode> {
  const limit = count('--limit', stringFlag(context, 'limit') ?? '10', 1000);
  if (context.flags.once !== true) {
    if (context.flags.json) throw new UsageError('--json goes with --once');
    if (context.io.stdout.isTTY !== true) throw new UsageError('top needs a terminal; use --once in scripts');
    const heading = `dalli top --keys: most fetched keys per server, each ${intervalMs / 1000}s sample; q to quit`;
    const render = async () => renderKeyRows(context, await sampleKeys(context, intervalMs, limit), intervalMs);
    return runLive(context.io, render, 0, heading);
  }
  const rows = await sampleKeys(context, intervalMs, limit);
  context.io.stdout.write(context.flags.json ? keyRowsJson(rows) : renderKeyRows(context, rows, intervalMs));
  return keyRowsStatus(rows);
}

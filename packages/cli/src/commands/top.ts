import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from '../command.ts';
import { seconds } from '../connection-flags.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { json } from '../format/table.ts';
import { perServerClients } from '../per-server.ts';
import { runLive } from '../top-live.ts';
import { TopSampler } from '../top-sampler.ts';
import { renderRows } from '../top-screen.ts';
import { positionals, stringFlag } from './arguments.ts';

/** `dalli top`: every server's activity, live in the terminal, or one sample with `--once`. */
export const top: Command = {
  name: 'top',
  usage: '[--interval SECONDS] [--once [--json]]',
  summary: 'live view of every server: ops/s by command, hit ratio, evictions, bytes in/out, connections',
  example: 'dalli top --servers 10.0.0.1:11211,10.0.0.2:11211   (or --once --json in a script)',
  flags: { interval: { type: 'string' }, once: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(context) {
    positionals(context, []);
    const interval = seconds('--interval', stringFlag(context, 'interval') ?? '1');
    if (interval < 0.1) throw new UsageError('--interval must be at least 0.1 seconds');
    const servers = perServerClients(context, interval);
    const sampler = new TopSampler(servers);
    if (context.flags.once !== true) {
      if (context.flags.json) throw new UsageError('--json goes with --once');
      if (context.io.stdout.isTTY !== true) throw new UsageError('top needs a terminal; use --once in scripts');
      return runLive(context.io, sampler, interval * 1000, servers.length);
    }
    await sampler.sample();
    await sleep(interval * 1000);
    const rows = await sampler.sample();
    const colour = context.io.stdout.isTTY === true && context.io.env.NO_COLOR === undefined;
    context.io.stdout.write(context.flags.json ? json(rows) : renderRows(rows, colour));
    return rows.every((row) => row.up) ? ExitCode.ok : ExitCode.cluster;
  },
};

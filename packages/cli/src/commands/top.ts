import { setTimeout as sleep } from 'node:timers/promises';
import { AppQueueDepths } from '../app-queue-depths.ts';
import type { Command, CommandContext } from '../command.ts';
import { seconds } from '../connection-flags.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { json } from '../format/table.ts';
import { escapeControls } from '../format/terminal-text.ts';
import { perServerClients } from '../per-server.ts';
import { keyRowsJson, keyRowsStatus, renderKeyRows, sampleKeys } from '../top-keys.ts';
import { runLive } from '../top-live.ts';
import { type ServerRow, TopSampler } from '../top-sampler.ts';
import { renderRows } from '../top-screen.ts';
import { count, positionals, stringFlag } from './arguments.ts';

/** `dalli top`: every server's activity, live in the terminal, or one sample with `--once`. */
export const top: Command = {
  name: 'top',
  usage: '[--interval SECONDS] [--metrics-url URL] [--keys [--limit N]] [--once [--json]]',
  summary:
    "live view of every server: ops/s by command, hit ratio, evictions, bytes in/out, connections; --metrics-url: an app's queued requests per server, from its @dalli/otel metrics; --keys: the most fetched keys (watch fetchers)",
  example: 'dalli top --servers 10.0.0.1:11211,10.0.0.2:11211   (or --once --json in a script; --keys for hot keys)',
  flags: {
    interval: { type: 'string' },
    once: { type: 'boolean' },
    json: { type: 'boolean' },
    keys: { type: 'boolean' },
    limit: { type: 'string' },
    'metrics-url': { type: 'string' },
  },
  async run(context) {
    positionals(context, []);
    const interval = seconds('--interval', stringFlag(context, 'interval') ?? '1');
    if (interval < 0.1) throw new UsageError('--interval must be at least 0.1 seconds');
    const app = appQueueDepths(stringFlag(context, 'metrics-url'), interval);
    if (context.flags.keys === true) {
      if (app !== undefined) throw new UsageError('--metrics-url does not go with --keys');
      return topKeys(context, interval * 1000);
    }
    if (context.flags.limit !== undefined) throw new UsageError('--limit goes with --keys');
    const servers = perServerClients(context, interval);
    const sampler = new TopSampler(servers, app);
    const screen = (rows: readonly ServerRow[], colour: boolean): string =>
      renderRows(rows, colour, sampler.watchesClient) + queueNote(sampler.queueError);
    if (context.flags.once !== true) {
      if (context.flags.json) throw new UsageError('--json goes with --once');
      if (context.io.stdout.isTTY !== true) throw new UsageError('top needs a terminal; use --once in scripts');
      const heading = `dalli top: ${servers.length} server${servers.length === 1 ? '' : 's'}, every ${interval}s; q to quit`;
      const render = async (first: boolean) => `${screen(await sampler.sample(), true)}${first ? 'sampling…\n' : ''}`;
      return runLive(context.io, render, interval * 1000, heading);
    }
    await sampler.sample();
    await sleep(interval * 1000);
    const rows = await sampler.sample();
    const colour = context.io.stdout.isTTY === true && context.io.env.NO_COLOR === undefined;
    context.io.stdout.write(context.flags.json ? json(rows) : screen(rows, colour));
    if (context.flags.json && sampler.queueError !== undefined) context.io.stderr.write(queueNote(sampler.queueError));
    return rows.every((row) => row.up) ? ExitCode.ok : ExitCode.cluster;
  },
};

/**
 * `--metrics-url`: an application's metrics endpoint (`@dalli/otel/prometheus`'s handler), read
 * at every sample for the queue depth per server its client holds, waiting at most the interval
 * (half a second at least).
 */
function appQueueDepths(url: string | undefined, interval: number): AppQueueDepths | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError('--metrics-url must be a URL, e.g. http://127.0.0.1:9464/metrics');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError('--metrics-url must be an http:// or https:// URL');
  }
  // fetch refuses them, and an error line would show them.
  if (parsed.username !== '' || parsed.password !== '') throw new UsageError('--metrics-url takes no user or password');
  return new AppQueueDepths(parsed.href, Math.max(500, interval * 1000));
}

/** Why the QUEUED column shows `?`, as a line under the table (control characters escaped). */
function queueNote(error: string | undefined): string {
  return error === undefined ? '' : `queue depths unknown: ${escapeControls(error)}\n`;
}

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

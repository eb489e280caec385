import { once } from 'node:events';
import type { Command } from '../command.ts';
import { seconds } from '../connection-flags.ts';
import { DashboardServer } from '../dashboard/server.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { perServerClients } from '../per-server.ts';
import { type KeyRow, sampleKeys } from '../top-keys.ts';
import { TopSampler } from '../top-sampler.ts';
import { count, positionals, stringFlag } from './arguments.ts';

const DEFAULT_PORT = '8211';

/** `dalli dashboard`: the `top` figures as live charts in a browser, on 127.0.0.1 only. */
export const dashboard: Command = {
  name: 'dashboard',
  usage: '[--port N] [--interval SECONDS] [--keys]',
  summary: `live charts per server in the browser, served on 127.0.0.1 only (port ${DEFAULT_PORT}; 0 = any free one)`,
  example: 'dalli dashboard --servers 10.0.0.1:11211,10.0.0.2:11211 --port 8211',
  flags: { port: { type: 'string', short: 'p' }, interval: { type: 'string' }, keys: { type: 'boolean' } },
  async run(context) {
    positionals(context, []);
    const portText = stringFlag(context, 'port') ?? DEFAULT_PORT;
    const port = portText === '0' ? 0 : count('--port', portText, 65_535);
    const interval = seconds('--interval', stringFlag(context, 'interval') ?? '1');
    if (interval < 0.1) throw new UsageError('--interval must be at least 0.1 seconds');
    const sampler = new TopSampler(perServerClients(context, interval));
    const server = new DashboardServer();
    const bound = await server.listen(port).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--port ${port}: cannot listen on 127.0.0.1 (${error.code ?? error.message})`);
    });
    // Listening for Ctrl-C before the URL is printed: whoever reads the URL may stop us at once.
    const stopped = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    context.io.stdout.write(`dalli dashboard: http://127.0.0.1:${bound}/ (Ctrl-C to stop)\n`);
    let running = true;
    void stopped.then(() => {
      running = false;
    });
    const withKeys = context.flags.keys === true;
    let keys: KeyRow[] | undefined;
    while (running) {
      // With --keys, watching the servers for the interval is the wait; its keys show in the next frame.
      const watched = withKeys ? sampleKeys(context, interval * 1000, 10) : undefined;
      server.publish({ at: Date.now(), rows: await sampler.sample(), keys });
      const waited: Promise<KeyRow[] | undefined> =
        watched ?? new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), interval * 1000));
      const result = await Promise.race([stopped, waited]);
      if (Array.isArray(result)) keys = result as KeyRow[];
    }
    await server.close();
    return ExitCode.ok;
  },
};

import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Command } from '../command.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { ExporterServer } from '../exporter/exporter-server.ts';
import { MemcachedFamilies, type ServerProbe } from '../exporter/memcached-families.ts';
import { perServerClients, type ServerClient } from '../per-server.ts';
import { count, positionals, stringFlag } from './arguments.ts';

/** memcached_exporter's default port, so existing scrape configs need only the host changed. */
const DEFAULT_PORT = '9150';

/** `dalli exporter`: a Prometheus endpoint with every server's figures under memcached_exporter's names. */
export const exporter: Command = {
  name: 'exporter',
  usage: '[--port N] [--host ADDRESS]',
  summary: `Prometheus /metrics for the cluster, under memcached_exporter's names (port ${DEFAULT_PORT}; 0 = any free one; host 127.0.0.1)`,
  example: 'dalli exporter --servers 10.0.0.1:11211,10.0.0.2:11211 --host 0.0.0.0',
  flags: { port: { type: 'string', short: 'p' }, host: { type: 'string' } },
  async run(context) {
    positionals(context, []);
    const portText = stringFlag(context, 'port') ?? DEFAULT_PORT;
    const port = portText === '0' ? 0 : count('--port', portText, 65_535);
    const host = stringFlag(context, 'host') ?? '127.0.0.1';
    const servers = perServerClients(context);
    const families = new MemcachedFamilies();
    const http = new ExporterServer(async () => families.render(await Promise.all(servers.map(probe))));
    const bound = await http.listen(host, port).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--port ${port}: cannot listen on ${host} (${error.code ?? error.message})`);
    });
    const stopped = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    context.io.stdout.write(
      `dalli exporter: http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics (Ctrl-C to stop)\n`,
    );
    await stopped;
    await http.close();
    return ExitCode.ok;
  },
};

/**
 * One server's `stats`, timed, with its `stats settings`, `items` and `slabs` asked at once; a
 * failed `stats` is `memcached_up 0`, not an error of the scrape, and a failed group only leaves
 * its families out.
 */
async function probe({ name, client }: ServerClient): Promise<ServerProbe> {
  const started = performance.now();
  let seconds = 0;
  // The probe histogram times the general `stats` alone, as before the groups were asked too.
  const general = client
    .stats()
    .then(onlyServer, () => undefined)
    .finally(() => {
      seconds = (performance.now() - started) / 1000;
    });
  const group = (which: string) => client.stats(which).then(onlyServer, () => undefined);
  const [stats, settings, items, slabs] = await Promise.all([
    general,
    group('settings'),
    group('items'),
    group('slabs'),
  ]);
  return { server: name, stats, settings, items, slabs, seconds };
}

/** The one answer of a single-server client's `stats`. */
function onlyServer(answer: Record<string, Record<string, string>>): Record<string, string> | undefined {
  return Object.values(answer)[0];
}

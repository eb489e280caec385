import type { Command, CommandContext } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { metadump } from '../metadump.ts';
import { type DumpedItem, globPattern } from '../metadump-line.ts';
import { count, positionals, stringFlag } from './arguments.ts';

const MAX_LIMIT = 10_000_000;
/** Without --timeout, a server silent this long ends its dump (a crawl pauses between slab classes). */
const DEFAULT_IDLE_SECONDS = 5;

/** `dalli keys`: the keys each server holds, with TTL and size, streamed from `lru_crawler metadump`. */
export const keys: Command = {
  name: 'keys',
  usage: '[--match PATTERN] [--limit N] [--json]',
  summary: 'stream keys with TTL and size from lru_crawler metadump (not on SASL servers); at most --limit (1000)',
  example: "dalli keys --match 'session:*' --limit 50",
  flags: { match: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(context) {
    positionals(context, []);
    const limit = count('--limit', stringFlag(context, 'limit') ?? '1000', MAX_LIMIT);
    const select = keySelector(context);
    const { options } = context.connection;
    const tls = options.tls === true ? {} : options.tls === false ? undefined : options.tls;
    const idleMs = (options.socketTimeout ?? DEFAULT_IDLE_SECONDS) * 1000;
    const json = context.flags.json === true;
    const { stdout } = context.io;
    if (!json) stdout.write(`${'TTL'.padEnd(10)}${'SIZE'.padEnd(10)}${'SERVER'.padEnd(22)}KEY\n`);
    let shown = 0;
    for (const { name: server } of context.client().servers()) {
      for await (const item of metadump(server, tls, idleMs)) {
        const key = select(item);
        if (key === undefined) continue;
        stdout.write(json ? jsonLine(item, key, server) : textLine(item, key, server));
        if (++shown === limit) return ExitCode.ok;
      }
    }
    return shown > 0 ? ExitCode.ok : ExitCode.miss;
  },
};

/** The key as the app names it (without `--namespace`), or undefined if it is outside it or `--match`. */
function keySelector(context: CommandContext): (item: DumpedItem) => string | undefined {
  const match = stringFlag(context, 'match');
  const pattern = match === undefined ? undefined : globPattern(match);
  const namespace = context.connection.options.namespace;
  const prefix = namespace === undefined ? '' : `${namespace}:`;
  return (item) => {
    if (!item.key.startsWith(prefix)) return undefined;
    const key = item.key.slice(prefix.length);
    return pattern === undefined || pattern.test(key) ? key : undefined;
  };
}

/** Seconds left to live (by this machine's clock), or undefined for an item that never expires. */
function ttl(item: DumpedItem): number | undefined {
  return item.expiresAt === undefined ? undefined : Math.max(0, Math.round(item.expiresAt - Date.now() / 1000));
}

function textLine(item: DumpedItem, key: string, server: string): string {
  const left = ttl(item);
  return `${(left === undefined ? 'never' : `${left}s`).padEnd(10)}${String(item.size).padEnd(10)}${server.padEnd(22)}${key}\n`;
}

function jsonLine(item: DumpedItem, key: string, server: string): string {
  return `${JSON.stringify({ key, server, ttl: ttl(item) ?? null, size: item.size })}\n`;
}

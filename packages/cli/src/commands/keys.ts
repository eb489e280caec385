import type { Command, CommandContext } from '../command.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { json } from '../format/table.ts';
import { escapeControls, screenText } from '../format/terminal-text.ts';
import { type MetadumpOptions, metadump } from '../metadump.ts';
import { type DumpedItem, globPattern } from '../metadump-line.ts';
import { count, positionals, stringFlag } from './arguments.ts';

const MAX_LIMIT = 10_000_000;
/** Without --timeout, a server silent this long ends its dump (a crawl pauses between slab classes). */
const DEFAULT_IDLE_SECONDS = 5;

/**
 * `dalli keys`: the keys each server holds, with TTL and size, streamed from `lru_crawler metadump`
 * (after the ASCII login of a `-Y` server when a user is given). On a terminal a key's control
 * characters are escaped (any bytes can make a key), unless `--raw`.
 */
export const keys: Command = {
  name: 'keys',
  usage: '[--match PATTERN] [--limit N] [--json | --raw]',
  summary:
    'stream keys with TTL and size from lru_crawler metadump (not on SASL servers; -Y with --username); at most --limit (1000)',
  example: "dalli keys --match 'session:*' --limit 50",
  flags: { match: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, raw: { type: 'boolean' } },
  async run(context) {
    positionals(context, []);
    const limit = count('--limit', stringFlag(context, 'limit') ?? '1000', MAX_LIMIT);
    const asJson = context.flags.json === true;
    if (asJson && context.flags.raw) throw new UsageError('--json and --raw exclude each other');
    const select = keySelector(context);
    const dump = dumpOptions(context);
    const show = screenText(context.io, context.flags.raw === true, escapeControls);
    const { stdout } = context.io;
    if (!asJson) stdout.write(`${'TTL'.padEnd(10)}${'SIZE'.padEnd(10)}${'SERVER'.padEnd(22)}KEY\n`);
    let shown = 0;
    for (const { name: server } of context.client().servers()) {
      for await (const item of metadump(server, dump)) {
        const key = select(item);
        if (key === undefined) continue;
        stdout.write(asJson ? jsonLine(item, key, server) : textLine(item, show(key), server));
        if (++shown === limit) return ExitCode.ok;
      }
    }
    return shown > 0 ? ExitCode.ok : ExitCode.miss;
  },
};

/** TLS, the idle timeout and the login from the connection flags; a user name the text protocol cannot carry is refused. */
function dumpOptions(context: CommandContext): MetadumpOptions {
  const { options } = context.connection;
  const { username, password } = options;
  if (username !== undefined && /\s/.test(username)) {
    throw new UsageError('keys: the ASCII login cannot carry a user name with whitespace');
  }
  return {
    tls: options.tls === true ? {} : options.tls === false ? undefined : options.tls,
    idleTimeoutMs: (options.socketTimeout ?? DEFAULT_IDLE_SECONDS) * 1000,
    login: username === undefined || password === undefined ? undefined : { username, password },
  };
}

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
  return json({ key, server, ttl: ttl(item) ?? null, size: item.size }, 0);
}

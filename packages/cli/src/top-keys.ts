import type { CommandContext } from './command.ts';
import { ExitCode, UsageError } from './exit-codes.ts';
import { json } from './format/table.ts';
import { escapeControls, screenText } from './format/terminal-text.ts';
import { type KeySample, sampleFetchedKeys, type WatchOptions } from './top-keys-watch.ts';

const DEFAULT_TIMEOUT_SECONDS = 2;

/** What one server showed in a sample, or why it could not be watched. */
export type KeyRow = { readonly server: string } & (
  | { readonly ok: true; readonly sample: KeySample }
  | { readonly ok: false; readonly error: string }
);

/** `dalli top --keys`: each server's most fetched keys over `intervalMs`, sampled at once from every server. */
export async function sampleKeys(context: CommandContext, intervalMs: number, limit: number): Promise<KeyRow[]> {
  const options = watchOptions(context);
  return Promise.all(
    context
      .client()
      .servers()
      .map(async ({ name }): Promise<KeyRow> => {
        try {
          return { server: name, ok: true, sample: await sampleFetchedKeys(name, options, intervalMs, limit) };
        } catch (error) {
          return { server: name, ok: false, error: (error as Error).message };
        }
      }),
  );
}

/** One table per server: rank, fetches, share, key; a server that refused says why. */
export function renderKeyRows(context: CommandContext, rows: readonly KeyRow[], intervalMs: number): string {
  const show = screenText(context.io, false, escapeControls);
  let text = '';
  for (const row of rows) {
    if (!row.ok) {
      text += `${row.server}: ${row.error}\n\n`;
      continue;
    }
    const { fetches, skipped, keys } = row.sample;
    const rate = Math.round(fetches / (intervalMs / 1000));
    text += `${row.server}: ${fetches} fetches in ${intervalMs / 1000}s (${rate}/s)${skipped > 0 ? `, ${skipped} more dropped by memcached's log buffers` : ''}\n`;
    text += `${'FETCHES'.padStart(9)}  ${'SHARE'.padStart(6)}  KEY\n`;
    for (const key of keys) {
      text += `${String(key.fetches).padStart(9)}  ${`${(key.share * 100).toFixed(1)}%`.padStart(6)}  ${show(key.key)}\n`;
    }
    text += '\n';
  }
  return text;
}

export function keyRowsJson(rows: readonly KeyRow[]): string {
  return json(rows.map((row) => (row.ok ? row.sample : { server: row.server, error: row.error })));
}

/** Exit status: every server watched, or a cluster error. */
export const keyRowsStatus = (rows: readonly KeyRow[]): ExitCode =>
  rows.every((row) => row.ok) ? ExitCode.ok : ExitCode.cluster;

function watchOptions(context: CommandContext): WatchOptions {
  const { options } = context.connection;
  const { username, password } = options;
  if (username !== undefined && /\s/.test(username)) {
    throw new UsageError('top --keys: the ASCII login cannot carry a user name with whitespace');
  }
  return {
    tls: options.tls === true ? {} : options.tls === false ? undefined : options.tls,
    timeoutMs: (options.socketTimeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    login: username === undefined || password === undefined ? undefined : { username, password },
  };
}

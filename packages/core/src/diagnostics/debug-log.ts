import { subscribe } from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import {
  type AuthFailureMessage,
  type ClusterChangeMessage,
  type CommandContext,
  type ConnectionCloseMessage,
  type ConnectionConnectMessage,
  commandChannel,
  type DiscoveryErrorMessage,
  type FetchEventMessage,
  type ServerDownMessage,
  type ServerUpMessage,
} from './diagnostics.ts';

let installed = false;

/**
 * `NODE_DEBUG=dalli` logs every operation and connection event to stderr, through Node's
 * `util.debuglog`. It is one more subscriber of the diagnostics channels, installed once, and only
 * when the variable asks for it, so it costs nothing otherwise.
 */
export function installDebugLog(): void {
  if (installed) return;
  installed = true;
  const log = debuglog('dalli');
  // workerd's debuglog says enabled whatever NODE_DEBUG holds; unset, Node's says disabled too.
  if (!log.enabled || process.env.NODE_DEBUG === undefined) return;
  const started = new WeakMap<CommandContext, number>();
  const elapsed = (context: CommandContext): string =>
    `${(performance.now() - (started.get(context) ?? 0)).toFixed(2)} ms`;
  const subject = (context: CommandContext): string =>
    `${context.operation}${context.key === undefined ? '' : ` ${JSON.stringify(context.key)}`}${context.keyCount === undefined ? '' : ` (${context.keyCount} keys)`} on ${context.servers.join(', ') || 'no server'}`;
  // Node's typings give each handler a narrower message than the context published: cast once here.
  const handler = (run: (context: CommandContext) => void) => (message: unknown) => run(message as CommandContext);
  commandChannel.subscribe({
    start: handler((context) => started.set(context, performance.now())),
    end: () => {},
    asyncStart: () => {},
    asyncEnd: handler((context) => {
      if (context.error !== undefined) return;
      const outcome =
        context.hit !== undefined
          ? context.hit
            ? 'hit'
            : 'miss'
          : context.hits !== undefined
            ? `${context.hits} hits, ${context.misses} misses`
            : 'ok';
      log('%s: %s, %d bytes, %s', subject(context), outcome, context.bytes ?? 0, elapsed(context));
    }),
    error: handler((context) => {
      const error = context.error as { code?: string; message?: string };
      log(
        '%s: failed (%s) %s, %s',
        subject(context),
        error.code ?? 'error',
        error.message ?? String(error),
        elapsed(context),
      );
    }),
  });
  subscribe('dalli:connection:connect', (message) =>
    log('connected to %s', (message as ConnectionConnectMessage).server),
  );
  subscribe('dalli:connection:close', (message) => {
    const { server, error } = message as ConnectionCloseMessage;
    log('connection to %s closed%s', server, error === undefined ? '' : `: ${error.detail}`);
  });
  subscribe('dalli:server:down', (message) => {
    log('%s', serverDownLine(message as ServerDownMessage));
  });
  subscribe('dalli:server:up', (message) => {
    const { server, downtime } = message as ServerUpMessage;
    log('server %s is UP again after %d ms', server, downtime);
  });
  subscribe('dalli:auth:failure', (message) => {
    const { server, error } = message as AuthFailureMessage;
    log('authentication refused by %s: %s', server, error.detail);
  });
  subscribe('dalli:fetch', (message) => {
    const { key, event } = message as FetchEventMessage;
    log('fetch %s: %s', JSON.stringify(key), event);
  });
  subscribe('dalli:cluster:change', (message) => {
    const { source, servers, added, removed, movedShare } = message as ClusterChangeMessage;
    const change = `+[${added.join(', ')}] -[${removed.join(', ')}]`;
    log(
      'cluster changed (%s) %s: %s; %s%% of keys moved',
      source,
      change,
      servers.join(', '),
      (movedShare * 100).toFixed(1),
    );
  });
  subscribe('dalli:discovery:error', (message) => {
    const { source, target, error, applied } = message as DiscoveryErrorMessage;
    const outcome = applied ? 'partly failed, the rest applied' : 'failed, last good list kept';
    log('discovery (%s) from %s %s: %s', source, target, outcome, error.detail);
  });
}

/**
 * The debug log's line for `dalli:server:down`: why (failures, or an ejection), and for a flapping
 * server the hold, so a reader sees why it stays down longer than a second.
 */
export function serverDownLine({ server, failures, error, reason, flaps, retryDelay }: ServerDownMessage): string {
  const why = reason === 'failures' ? `after ${failures} failures` : `(ejected for ${reason})`;
  const held = flaps > 0 ? `, flapping (${flaps} in a row), held ${retryDelay} ms` : '';
  return `server ${server} is DOWN ${why}${held}: ${error.detail}`;
}

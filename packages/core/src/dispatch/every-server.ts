import type { Server } from '../cluster/server.ts';
import type { ServerOperation } from '../commands/operation.ts';
import { BatchError, type DalliError, NoServerAvailableError } from '../errors.ts';
import type { Command } from '../protocol/command.ts';
import { type ExchangeContext, OperationExchange } from './operation-exchange.ts';

/**
 * Sends `requests[i]` to `servers[i]` and gathers the answers by server name. With one server, its
 * failure rejects as is; with several, a {@link BatchError} carries the answers that came.
 */
export async function askEveryServer<T, A>(
  operation: ServerOperation<T, A>,
  servers: readonly Server[],
  requests: readonly Command[],
  context: ExchangeContext,
  timeout: number | undefined,
  signal: AbortSignal | undefined,
  send: (server: Server, exchange: OperationExchange<T>) => void,
): Promise<Record<string, T>> {
  const name = operation.name;
  const settled = await Promise.allSettled(
    servers.map(async (server, i) => {
      if (!server.available) throw downError(server, name);
      const request = requests[i] as Command;
      const exchange = new OperationExchange(
        operation,
        server.name,
        request,
        undefined,
        context,
        false,
        timeout,
        signal,
      );
      // A command for a whole server (stats, flush, version) is what a proxy may not know and
      // hang up on: it goes alone, so that only it fails then (see Exchange.alone).
      exchange.alone = true;
      send(server, exchange);
      return exchange.promise;
    }),
  );
  const results: Record<string, T> = {};
  const errors = new Map<string, DalliError>();
  for (const [i, outcome] of settled.entries()) {
    const server = (servers[i] as Server).name;
    if (outcome.status === 'fulfilled') results[server] = outcome.value;
    else errors.set(server, outcome.reason as DalliError);
  }
  if (errors.size === 0) return results;
  if (servers.length === 1) throw errors.values().next().value;
  throw new BatchError(name, results, errors, servers.length, 'servers');
}

function downError(server: Server, operation: string): NoServerAvailableError {
  const cause = server.downCause;
  const why = cause === undefined ? '' : ` after: ${cause.detail}`;
  return new NoServerAvailableError(`the server is down${why}`, { server: server.name, operation, cause });
}

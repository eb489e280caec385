import type { Client } from '@dalli/core';
import type { CommandContext } from './command.ts';

/** A client of one server, so that one server down does not hide what the others say. */
export interface ServerClient {
  /** The server's name as the client gives it (`host:port`). */
  readonly name: string;
  readonly client: Client;
}

/**
 * A client per server. A failed request is not retried (one answer per server per call), and a
 * server marked down is probed again after `downRetryDelay` seconds (default 1), so a live view
 * sees it come back.
 */
export function perServerClients(context: CommandContext, downRetryDelay = 1): ServerClient[] {
  return context.connection.servers.map((entry) => {
    const client = context.client({ socketMaxFailures: 1, downRetryDelay }, [entry]);
    return { name: (client.servers()[0] as { name: string }).name, client };
  });
}

/** What each server answered, or why it did not. */
export type PerServer<T> = { readonly name: string } & (
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string }
);

/** Runs `ask` on every server at once and keeps each answer or failure. */
export function askEveryServer<T>(
  servers: readonly ServerClient[],
  ask: (client: Client) => Promise<T>,
): Promise<PerServer<T>[]> {
  return Promise.all(
    servers.map(async ({ name, client }): Promise<PerServer<T>> => {
      try {
        return { name, ok: true, value: await ask(client) };
      } catch (error) {
        return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

import type { Client } from '@dalli/core';
import type { CommandContext } from '../command.ts';

/** One client per server, so that one server down does not hide what the others say. */
export interface ServerClient {
  /** The server's name as the client gives it (`host:port`). */
  readonly name: string;
  readonly client: Client;
}

export function perServerClients(context: CommandContext): ServerClient[] {
  return context.connection.servers.map((entry) => {
    // A failed server stays failed for this one call instead of being retried.
    const client = context.client({ socketMaxFailures: 1 }, [entry]);
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

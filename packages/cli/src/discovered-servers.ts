import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Client, type ClusterChangeMessage, type DiscoveryErrorMessage } from '@dalli/core';
import type { ConnectionSettings } from './connection-flags.ts';

/**
 * With `--discovery config|dns`, reads the server list once, before the command runs, and hands
 * the command that list without discovery: every command (`locate`, `ring`, `keys`, `stats` per
 * server…) then sees the discovered nodes as if they had been given with `--servers`. A `dalli`
 * run is short, so one read is the list it works with; a failed read is a cluster error (exit 3).
 */
export async function discoveredSettings(settings: ConnectionSettings): Promise<ConnectionSettings> {
  const mode = settings.options.discovery;
  if (mode === undefined || mode === 'none') return settings;
  const client = new Client(settings.servers, settings.options);
  try {
    const servers = await firstList(client);
    return { servers, options: { ...settings.options, discovery: undefined, dnsServers: undefined } };
  } finally {
    await client.close();
  }
}

/** The first list the client's discovery applies, or the error of its first failed read. */
function firstList(client: Client): Promise<readonly string[]> {
  return new Promise((resolve, reject) => {
    const onChange = (message: unknown): void => {
      const change = message as ClusterChangeMessage;
      if (change.client !== client) return;
      stop();
      resolve(change.servers);
    };
    const onError = (message: unknown): void => {
      const failure = message as DiscoveryErrorMessage;
      // A part that failed while the rest was applied (AAAA refused, A answered) is no failed read.
      if (failure.client !== client || failure.applied) return;
      stop();
      reject(failure.error);
    };
    const stop = (): void => {
      unsubscribe('dalli:cluster:change', onChange);
      unsubscribe('dalli:discovery:error', onError);
    };
    subscribe('dalli:cluster:change', onChange);
    subscribe('dalli:discovery:error', onError);
  });
}

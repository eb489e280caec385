import type { CommandMessage } from './channel-messages.ts';

/**
 * What metrics may say of a settled operation, read straight off core's message (no record object
 * per operation): its answering server, its outcome, its counts. None of it is a key.
 */

/** `hit` / `miss` for single-key reads, `error` when it failed, else `ok`. */
export type Outcome = 'hit' | 'miss' | 'ok' | 'error';

export function outcomeOf(message: CommandMessage): Outcome {
  if (message.error !== undefined) return 'error';
  if (message.hit === undefined) return 'ok';
  return message.hit ? 'hit' : 'miss';
}

/**
 * The server that answered, when exactly one did: a single-key operation's last (a failover's
 * second server), a multi-server operation's only one, else undefined.
 */
export function answeringServer(message: CommandMessage): string | undefined {
  const servers = message.servers;
  if (message.key !== undefined) return servers[servers.length - 1];
  return servers.length === 1 ? servers[0] : undefined;
}

/** Keys found (single-key reads count 1). */
export function hitsOf(message: CommandMessage): number {
  return message.hit === true ? 1 : (message.hits ?? 0);
}

/** Keys missing (single-key reads count 1). */
export function missesOf(message: CommandMessage): number {
  return message.hit === false ? 1 : (message.misses ?? 0);
}

/** Sends after the first (single-key operations). */
export function retriesOf(message: CommandMessage): number {
  const attempts = message.attempts ?? 1;
  return attempts > 1 ? attempts - 1 : 0;
}

/** True when a single-key operation was answered by another server than the first it went to. */
export function failedOver(message: CommandMessage): boolean {
  return message.key !== undefined && message.servers.length > 1;
}

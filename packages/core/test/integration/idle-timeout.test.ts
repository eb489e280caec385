import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, type ConnectionCloseMessage } from '../../src/index.ts';

/**
 * `idleTimeout` closes a server's connection once it has carried nothing for that long: memcached
 * sees it go (`curr_connections` drops), it is not a failure, and the next request reconnects.
 */
let memcached: MemcachedProcess;
let observer: Client;

beforeAll(async () => {
  memcached = await startMemcached();
  observer = new Client(memcached.address, { idleTimeout: 0 });
});
afterAll(async () => {
  await observer?.close();
  await memcached.stop();
});

async function connections(): Promise<number> {
  const stats = await observer.stats();
  return Number(stats[memcached.address]?.curr_connections);
}

/** Resolves when `client`'s connection closes, with the close message. */
function nextClose(client: Client): Promise<ConnectionCloseMessage> {
  return new Promise((resolve) => {
    const onClose = (message: unknown): void => {
      if ((message as ConnectionCloseMessage).client !== client) return;
      unsubscribe('dalli:connection:close', onClose);
      resolve(message as ConnectionCloseMessage);
    };
    subscribe('dalli:connection:close', onClose);
  });
}

it('an idle connection closes after idleTimeout, cleanly; the next request reconnects and the server stays up', async () => {
  const client = new Client(memcached.address, { idleTimeout: 0.2 });
  try {
    const closed = nextClose(client);
    await client.set('idle:k', 'v');
    const open = await connections();
    const message = await closed;
    expect(message.error).toBeUndefined();
    // memcached counts the close once it has read the FIN: poll a bounded number of times.
    let after = open;
    for (let i = 0; i < 100 && after >= open; i++) {
      await sleep(10);
      after = await connections();
    }
    expect(after).toBe(open - 1);
    expect(await client.get('idle:k')).toBe('v');
    const [state] = client.servers();
    expect(state).toMatchObject({ up: true, failures: 0, connected: true });
    expect(await connections()).toBe(open);
  } finally {
    await client.close();
  }
});

it('a connection in use is not closed by idleTimeout', async () => {
  const client = new Client(memcached.address, { idleTimeout: 0.1 });
  let closes = 0;
  const onClose = (message: unknown): void => {
    if ((message as ConnectionCloseMessage).client === client) closes++;
  };
  subscribe('dalli:connection:close', onClose);
  try {
    // Requests back to back for three times the idle timeout: never idle that long.
    const until = performance.now() + 300;
    let requests = 0;
    while (performance.now() < until && requests < 100_000) {
      await client.get('idle:busy');
      requests++;
    }
    expect(closes).toBe(0);
  } finally {
    unsubscribe('dalli:connection:close', onClose);
    await client.close();
  }
});

it('idleTimeout must be a number of seconds, 0 or more', () => {
  for (const idleTimeout of [-1, '5', Number.NaN]) {
    expect(() => new Client('127.0.0.1:1', { idleTimeout: idleTimeout as number })).toThrow(/idleTimeout/);
  }
});

import { spawnSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Client, type FetchEvent, type FetchEventMessage } from '../../../src/index.ts';

let memcached: MemcachedProcess;
const clients: Client[] = [];
const events: FetchEventMessage[] = [];
const record = (message: unknown): void => {
  events.push(message as FetchEventMessage);
};

beforeAll(async () => {
  memcached = await startMemcached();
  subscribe('dalli:fetch', record);
});
afterAll(async () => {
  unsubscribe('dalli:fetch', record);
  await memcached.stop();
});
afterEach(async () => {
  events.length = 0;
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(protocol: 'meta' | 'binary' = 'meta'): Client {
  const made = new Client(memcached.address, { protocol });
  clients.push(made);
  return made;
}
const seen = (key: string): FetchEvent[] => events.filter((event) => event.key === key).map((event) => event.event);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const lease = { lock: 'lease' } as const;

it('publishes coalesced, leaseWon, leaseLost, wait on dalli:fetch, naming the client and the key', async () => {
  const [a, b] = [client(), client()];
  const slow = async (): Promise<string> => {
    await sleep(100);
    return 'v';
  };
  const late = sleep(20).then(() => b.fetch('events:lease', slow, lease));
  await Promise.all([a.fetch('events:lease', slow, lease), a.fetch('events:lease', slow, lease), late]);
  expect(seen('events:lease').sort()).toEqual(['coalesced', 'leaseLost', 'leaseWon', 'wait']);
  expect(events.find((event) => event.event === 'leaseWon')?.client).toBe(a);
});

it('publishes staleServed, fillRefused, refresh, waitTimeout and computeError', async () => {
  const [a, b] = [client(), client()];
  await a.set('events:stale', 'old', 300);
  await a.invalidate('events:stale', { grace: 30 });
  await Promise.all([a.fetch('events:stale', () => sleep(50).then(() => 'new')), b.fetch('events:stale', () => 'x')]);
  expect(seen('events:stale')).toContain('staleServed');

  await a.fetch('events:refused', () => b.delete('events:refused').then(() => 'v'), lease);
  expect(seen('events:refused')).toEqual(['leaseWon', 'fillRefused']);

  await a.set('events:refresh', 'current', 5);
  await a.fetch('events:refresh', () => 'next', { refreshAhead: 30 });
  expect(seen('events:refresh')).toEqual(['refresh']);

  const held = a.fetch('events:timeout', () => sleep(300).then(() => 'v'), lease);
  await sleep(50);
  await b.fetch('events:timeout', () => 'mine', { ...lease, waitTimeout: 0.05 });
  await held;
  expect(seen('events:timeout')).toEqual(['leaseWon', 'leaseLost', 'wait', 'waitTimeout']);

  await a.fetch('events:error', () => Promise.reject(new Error('no')), lease).catch(() => {});
  expect(seen('events:error')).toEqual(['leaseWon', 'computeError']);
});

it.each(['binary', 'meta'] as const)('publishes lockWon and lockLost for the %s lock key', async (protocol) => {
  const [a, b] = [client(protocol), client(protocol)];
  const key = `events:lock:${protocol}`;
  const slow = (): Promise<string> => sleep(100).then(() => 'v');
  const late = sleep(20).then(() => b.fetch(key, slow, { lock: true }));
  await Promise.all([a.fetch(key, slow, { lock: true }), late]);
  expect(seen(key).sort()).toEqual(['lockLost', 'lockWon', 'wait']);
});

it('NODE_DEBUG=dalli logs fetch events', () => {
  const built = fileURLToPath(new URL('../../../dist/index.mjs', import.meta.url));
  const script = `
    import { Client } from ${JSON.stringify(built)};
    const client = new Client(${JSON.stringify(memcached.address)}, { protocol: 'meta' });
    await client.fetch('logged:fetch', () => 'v');
    await client.close();
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, NODE_DEBUG: 'dalli' },
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(result.status).toBe(0);
  expect(result.stderr).toMatch(/DALLI \d+: fetch "logged:fetch": lockWon/);
});

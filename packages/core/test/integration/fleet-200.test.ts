import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, type ConnectionCloseMessage, OverloadedError } from '../../src/index.ts';
import { startMixedLoad, whileLoaded } from '../support/mixed-load.ts';

/**
 * Issue #25's proof on one machine: 200 real endpoints. Ten memcached processes each listen on
 * twenty loopback addresses (`-l 127.77.p.1,…,127.77.p.20`, one port), and every address is a
 * distinct server to the client. 127.0.0.0/8 is all local on Linux, so no setup is needed.
 */
const PROCESSES = 10;
const PER_PROCESS = 20;
let processes: MemcachedProcess[];
/** `fleet[p]` holds the 20 server strings of process `p`. */
let fleet: string[][];
let all: string[];
let observer: Client;
const clients: Client[] = [];

beforeAll(async () => {
  processes = await Promise.all(
    Array.from({ length: PROCESSES }, (_, p) =>
      startMemcached({
        host: `127.77.${p}.1`,
        extraHosts: Array.from({ length: PER_PROCESS - 1 }, (_, a) => `127.77.${p}.${a + 2}`),
      }),
    ),
  );
  fleet = processes.map((process, p) =>
    Array.from({ length: PER_PROCESS }, (_, a) => `127.77.${p}.${a + 1}:${process.port}`),
  );
  all = fleet.flat();
  // One address per process, never idle-closed: reads curr_connections.
  observer = new Client(
    processes.map((process) => process.address),
    { idleTimeout: 0 },
  );
});
afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await observer?.close();
  await Promise.all((processes ?? []).map((process) => process.stop()));
});

function client(servers: string[], options: ConstructorParameters<typeof Client>[1] = {}): Client {
  const made = new Client(servers, { socketTimeout: 2, ...options });
  clients.push(made);
  return made;
}

/** One key per server of `target`'s ring, for every server in `servers`. */
function keyPerServer(target: Client, servers: readonly string[], prefix: string): Map<string, string> {
  const wanted = new Set(servers);
  const keys = new Map<string, string>();
  for (let i = 0; keys.size < wanted.size && i < 1_000_000; i++) {
    const server = target.locate(`${prefix}:${i}`).server;
    if (wanted.has(server) && !keys.has(server)) keys.set(server, `${prefix}:${i}`);
  }
  return keys;
}

async function connectionsOf(process: MemcachedProcess): Promise<number> {
  const stats = await observer.stats();
  return Number(stats[process.address]?.curr_connections);
}

it('a client over 200 servers places keys on every one and a getMulti across all 200 returns every key', async () => {
  const target = client(all);
  expect(target.servers()).toHaveLength(200);
  const keys = keyPerServer(target, all, 'every');
  expect(keys.size).toBe(200);
  await target.setMulti([...keys.values()].map((key) => [key, key] as const));
  const found = await target.getMulti(keys.values());
  expect(found.size).toBe(200);
  for (const key of keys.values()) expect(found.get(key)).toBe(key);
  expect(target.servers().filter((state) => state.connected)).toHaveLength(200);
});

it('setServers adding and removing 10 of 200 servers under a bounded mixed load fails no operation', async () => {
  const target = client(all.slice(0, 190));
  const load = startMixedLoad(target, 20_000, 8_000);
  await whileLoaded(load, 300);
  await target.setServers(all);
  await whileLoaded(load, 300);
  await target.setServers(all.slice(10));
  await whileLoaded(load, 300);
  await target.setServers(all.slice(5, 195));
  await whileLoaded(load, 300);
  await load.stop();
  expect(load.failures).toEqual([]);
  expect(load.done()).toBeGreaterThanOrEqual(1200);
  expect(target.servers().map((state) => state.name)).toEqual(all.slice(5, 195));
});

it('idleTimeout closes all 200 idle connections cleanly and memcached sees them go', async () => {
  const target = client(all, { idleTimeout: 0.2 });
  const closes: ConnectionCloseMessage[] = [];
  const onClose = (message: unknown): void => {
    if ((message as ConnectionCloseMessage).client === target) closes.push(message as ConnectionCloseMessage);
  };
  subscribe('dalli:connection:close', onClose);
  try {
    const before = await connectionsOf(processes[0] as MemcachedProcess);
    await target.getMulti(keyPerServer(target, all, 'idle').values());
    expect(target.servers().filter((state) => state.connected)).toHaveLength(200);
    expect(await connectionsOf(processes[0] as MemcachedProcess)).toBe(before + PER_PROCESS);
    for (let i = 0; i < 300 && closes.length < 200; i++) await sleep(10);
    expect(closes).toHaveLength(200);
    expect(closes.every((message) => message.error === undefined)).toBe(true);
    // memcached counts a close once it has read the FIN: poll a bounded number of times.
    let after = before + PER_PROCESS;
    for (let i = 0; i < 100 && after > before; i++) {
      await sleep(10);
      after = await connectionsOf(processes[0] as MemcachedProcess);
    }
    expect(after).toBe(before);
    expect(target.servers().every((state) => state.up && state.failures === 0 && !state.connected)).toBe(true);
  } finally {
    unsubscribe('dalli:connection:close', onClose);
  }
});

it('a stalled process (20 servers) with a small maxQueued: OverloadedError for its servers only, others served', async () => {
  const maxQueued = 4;
  const target = client(all, { maxQueued, failover: false, socketTimeout: 5 });
  const stalled = processes[0] as MemcachedProcess;
  const stalledServers = new Set(fleet[0]);
  const keys = keyPerServer(target, all, 'stall');
  await target.setMulti([...keys.values()].map((key) => [key, 'v'] as const));
  const stalledKeys = [...keys].filter(([server]) => stalledServers.has(server)).map(([, key]) => key);
  const otherKeys = [...keys].filter(([server]) => !stalledServers.has(server)).map(([, key]) => key);
  await stalled.freeze();
  let thawed = false;
  try {
    // Bounded: 10 reads per stalled server; the first maxQueued of each wait, the rest are refused.
    const load = stalledKeys.flatMap((key) => Array.from({ length: 10 }, () => target.get(key)));
    const waiting = stalledKeys.flatMap((_, s) => load.slice(s * 10, s * 10 + maxQueued));
    const refused = await Promise.allSettled(
      stalledKeys.flatMap((_, s) => load.slice(s * 10 + maxQueued, s * 10 + 10)),
    );
    const reasons = refused.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : outcome.value));
    expect(reasons).toHaveLength(20 * (10 - maxQueued));
    expect(reasons.every((reason) => reason instanceof OverloadedError)).toBe(true);
    expect(new Set(reasons.map((reason) => (reason as OverloadedError).server))).toEqual(stalledServers);
    for (const name of stalledServers) {
      expect(target.servers().find((state) => state.name === name)?.inFlight).toBe(maxQueued);
    }
    const others = await target.getMulti(otherKeys);
    expect(others.size).toBe(180);
    await stalled.thaw();
    thawed = true;
    expect((await Promise.all(waiting)).every((value) => value === 'v')).toBe(true);
  } finally {
    if (!thawed) await stalled.thaw();
  }
});

// Two of issue #25's figures, on real memcached:
// - backpressure: one of three servers frozen (SIGSTOP), `--load` reads of its keys issued in
//   rounds of 1,000 (each round awaited): how long a refused read takes to reject with
//   OverloadedError (median and max of the rounds' per-request time), its queue depth, and heapUsed
//   growth (after gc) across the load; the other servers' reads meanwhile.
// - fan-out: a getMulti of one key per server over 50 servers, each behind a fault proxy holding
//   every reply 20 ms, against the same over one such server (median of `--rounds`).
// - heap per idle configured server: heapUsed (after gc) of `new Client(--idle-servers servers)`,
//   never connected, its first ring built, minus that of a one-server client, divided by the count;
//   the ring's points live in typed arrays outside the heap, so arrayBuffers is reported beside it.
//
//   node24 --expose-gc bench/src/fleet-limits.mjs [--load 100000] [--max-queued 4096] [--rounds 5] [--idle-servers 10000]
//
// Loads the TypeScript sources directly (Node 24 strips types).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    load: { type: 'string', default: '100000' },
    'max-queued': { type: 'string', default: '4096' },
    rounds: { type: 'string', default: '5' },
    'idle-servers': { type: 'string', default: '10000' },
  },
});
const root = new URL('../../', import.meta.url);
const { Client, OverloadedError } = await import(new URL('packages/core/src/index.ts', root).href);
const { startFaultProxy, startMemcached } = await import(new URL('packages/test-utils/src/index.ts', root).href);

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};
const memory = () => {
  // Several passes: one may leave weakly held and finalizable objects for the next.
  for (let pass = 0; pass < 3; pass++) globalThis.gc?.();
  return process.memoryUsage();
};

/** `count` keys the client's ring puts on `server`. */
function keysOn(client, server, count) {
  const keys = [];
  for (let i = 0; keys.length < count; i++) if (client.locate(`k:${i}`).server === server) keys.push(`k:${i}`);
  return keys;
}

async function backpressure(load, maxQueued) {
  const servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  const client = new Client(
    servers.map((server) => server.address),
    { maxQueued, failover: false, socketTimeout: 60 },
  );
  try {
    const [frozen, other] = servers;
    const frozenKeys = keysOn(client, frozen.address, 100);
    const otherKey = keysOn(client, other.address, 1)[0];
    await client.setMulti([...frozenKeys, otherKey].map((key) => [key, 'v']));
    await frozen.freeze();
    const queued = [];
    // Fill the queue to the cap; these wait for the thaw.
    for (let i = 0; i < maxQueued; i++) queued.push(client.get(frozenKeys[i % 100]));
    const heapBefore = heap();
    const perRequest = [];
    let refused = 0;
    for (let done = 0; done < load; done += 1000) {
      const started = performance.now();
      const round = await Promise.allSettled(Array.from({ length: 1000 }, (_, i) => client.get(frozenKeys[i % 100])));
      perRequest.push((performance.now() - started) / 1000);
      refused += round.filter((outcome) => outcome.reason instanceof OverloadedError).length;
    }
    const heapAfter = heap();
    const depth = client.servers().find((state) => state.name === frozen.address).inFlight;
    const started = performance.now();
    const otherValue = await client.get(otherKey);
    const otherMs = performance.now() - started;
    await frozen.thaw();
    const answered = (await Promise.all(queued)).filter((value) => value === 'v').length;
    console.log(
      `backpressure: ${refused}/${load} refused with OverloadedError, ` +
        `${(median(perRequest) * 1000).toFixed(1)} µs per refusal (median of rounds of 1,000; max ${(Math.max(...perRequest) * 1000).toFixed(1)} µs), ` +
        `queue depth ${depth} (maxQueued ${maxQueued}), heapUsed ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB growth across the load, ` +
        `other server's read ${otherValue === 'v' ? 'ok' : 'WRONG'} in ${otherMs.toFixed(2)} ms, ${answered}/${maxQueued} queued reads answered after the thaw`,
    );
  } finally {
    await client.close();
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function fanOut(count, delay, rounds) {
  const memcached = await Promise.all([startMemcached(), startMemcached()]);
  const proxies = await Promise.all(Array.from({ length: count }, (_, i) => startFaultProxy(memcached[i % 2])));
  const client = new Client(proxies.map((proxy) => proxy.address));
  try {
    const byServer = new Map();
    for (let i = 0; byServer.size < count; i++) byServer.set(client.locate(`f:${i}`).server, `f:${i}`);
    const keys = [...byServer.values()];
    await client.setMulti(keys.map((key) => [key, key]));
    for (const proxy of proxies) proxy.set({ replyDelay: delay });
    const times = [];
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const found = await client.getMulti(keys);
      times.push(performance.now() - started);
      if (found.size !== count) throw new Error(`getMulti found ${found.size} of ${count}`);
    }
    return median(times);
  } finally {
    await client.close();
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all(memcached.map((server) => server.stop()));
  }
}

async function heapPerIdleServer(count) {
  if (globalThis.gc === undefined) throw new Error('run with --expose-gc');
  // Configured, never connected: 127.a.b.c addresses nothing listens on are never dialled.
  const names = Array.from({ length: count }, (_, i) => `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:11211`);
  const baseline = new Client(['127.0.0.1:11211']);
  const before = memory();
  const client = new Client(names);
  // locate() makes the servers and builds the ring at once if their slices are not done; the
  // slices' work is then dropped (given 2 s to finish, well over the ≤ 500 ms a 10,000-server build takes).
  client.locate('k');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const after = memory();
  const perServer = (field) => (after[field] - before[field]) / count;
  console.log(
    `heap per idle configured server: ${perServer('heapUsed').toFixed(0)} B heapUsed ` +
      `(+ ${perServer('arrayBuffers').toFixed(0)} B of ring points in arrayBuffers) over ${client.servers().length} servers`,
  );
  await client.close();
  await baseline.close();
}

await heapPerIdleServer(Number(values['idle-servers']));
await backpressure(Number(values.load), Number(values['max-queued']));
const rounds = Number(values.rounds);
const many = await fanOut(50, 20, rounds);
const one = await fanOut(1, 20, rounds);
console.log(
  `fan-out: getMulti over 50 servers × 20 ms delay: ${many.toFixed(1)} ms; over 1 server: ${one.toFixed(1)} ms (median of ${rounds})`,
);

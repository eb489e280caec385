// Flap memory (issue 29): how many requests a server flapping every 2 s receives, with the client's
// flap memory on (the defaults: health.flapTime 30 s, ramp 1.5, cap 3600 s) and off
// (health.flapTime 0: today's behaviour, let back at its first good reply), in the same run.
//
//   node bench/src/flap.mjs [--seconds 60] [--servers 3] [--rate 2000]
//
// Each mode gets its own servers: --servers memcached processes, one of them behind a gate (a TCP
// front on its own port) that a single timer closes and opens every 2 s for both modes at once:
// closed, connections to it are refused and open ones reset, as a server that crashes and comes
// back. Both clients (default options otherwise) run the same bounded load, --rate gets and sets
// per second over 3,000 keys, the same share of them (1 / --servers) owned by the flapping server in
// both modes (the rings differ, their ports do), until --seconds have passed. Requests reaching the
// flapping server are counted by its memcached (`stats`: cmd_get + cmd_set, which the gate does
// not touch), from the first closing of the gate to the end. Bounded: --seconds at most 300.
import { subscribe } from 'node:diagnostics_channel';
import { createServer, connect as tcpConnect } from 'node:net';
import { parseArgs } from 'node:util';
import { Client } from '@dalli/core';
import { startMemcached } from '@dalli/test-utils';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    servers: { type: 'string', default: '3' },
    rate: { type: 'string', default: '2000' },
  },
});
const seconds = Math.min(Number(args.seconds), 300);
const serverCount = Math.max(2, Math.min(Number(args.servers), 4));
const rate = Math.min(Number(args.rate), 20_000);
const TOGGLE_MS = 2_000;
const TICK_MS = 10;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP front for one memcached: open, it relays; closed, it refuses connections and resets open ones. */
class Gate {
  #server = createServer({ noDelay: true }, (socket) => this.#relay(socket));
  #sockets = new Set();
  #target;
  port = 0;
  constructor(target) {
    this.#target = target;
  }
  async open() {
    this.#server.listen(this.port, '127.0.0.1');
    await new Promise((resolve) => this.#server.once('listening', resolve));
    this.port = this.#server.address().port;
  }
  async close() {
    for (const socket of this.#sockets) socket.resetAndDestroy();
    this.#sockets.clear();
    await new Promise((resolve) => this.#server.close(resolve));
  }
  #relay(client) {
    const server = tcpConnect({ ...this.#target, noDelay: true });
    for (const socket of [client, server]) {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server);
    server.pipe(client);
  }
}

/** cmd_get + cmd_set of one memcached, asked on a connection of its own. */
async function requestsServed(stats) {
  const figures = Object.values(await stats.stats())[0];
  return Number(figures.cmd_get) + Number(figures.cmd_set);
}

async function setUp(label, health) {
  const memcacheds = await Promise.all(Array.from({ length: serverCount }, () => startMemcached()));
  const gate = new Gate(memcacheds[0]);
  await gate.open();
  const names = [`127.0.0.1:${gate.port}`, ...memcacheds.slice(1).map((memcached) => memcached.address)];
  const client = new Client(names, { health });
  const stats = new Client(memcacheds[0].address);
  const flapping = names[0];
  const keys = keysOwned(client, flapping);
  const mode = { label, memcacheds, gate, client, stats, keys, ok: 0, failed: 0, issued: 0, ups: 0, downs: [] };
  subscribe('dalli:server:up', (message) => {
    if (message.client === client && message.server === flapping) mode.ups++;
  });
  subscribe('dalli:server:down', (message) => {
    if (message.client === client && message.server === flapping) mode.downs.push(message.retryDelay);
  });
  return mode;
}

/** 3,000 keys, 1 / serverCount of them owned by `flapping`, interleaved. */
function keysOwned(client, flapping) {
  const total = 3_000;
  const its = [];
  const others = [];
  for (let i = 0; its.length + others.length < 2 * total && i < 1_000_000; i++) {
    const key = `flap:${i}`;
    (client.locate(key).server === flapping ? its : others).push(key);
  }
  const wanted = Math.round(total / serverCount);
  return Array.from({ length: total }, (_, i) =>
    i % serverCount === 0 ? its[(i / serverCount) % wanted] : others[i % (total - wanted)],
  );
}

async function load(mode, until) {
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  let at = 0;
  while (Date.now() < until) {
    const batch = [];
    for (let i = 0; i < perTick; i++, at++) {
      const key = mode.keys[at % mode.keys.length];
      const request = at % 4 === 0 ? mode.client.set(key, at) : mode.client.get(key);
      mode.issued++;
      batch.push(
        request.then(
          () => mode.ok++,
          () => mode.failed++,
        ),
      );
    }
    await Promise.all([Promise.all(batch), sleep(TICK_MS)]);
  }
}

const modes = await Promise.all([
  setUp('flap memory on (defaults)', undefined),
  setUp('off (flapTime 0, today)', { flapTime: 0 }),
]);
console.log(
  `${serverCount} servers per mode, one flapping every ${TOGGLE_MS / 1000} s for ${seconds} s, ${rate} requests/s per mode`,
);
// Warm: every connection open and every server up before the flapping starts.
const warmUntil = Date.now() + 1_000;
await Promise.all(modes.map((mode) => load(mode, warmUntil)));
const before = await Promise.all(modes.map((mode) => requestsServed(mode.stats)));
const end = Date.now() + seconds * 1000;
let closed = false;
const toggle = async () => {
  closed = !closed;
  await Promise.all(modes.map((mode) => (closed ? mode.gate.close() : mode.gate.open())));
};
await toggle();
const timer = setInterval(() => void toggle(), TOGGLE_MS);
for (const mode of modes) Object.assign(mode, { ok: 0, failed: 0, issued: 0 });
await Promise.all(modes.map((mode) => load(mode, end)));
clearInterval(timer);
const after = await Promise.all(modes.map((mode) => requestsServed(mode.stats)));

console.log(
  '| mode | requests issued | failed | reaching the flapping server | per 1,000 issued | times let back | waits before its probes (ms) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
const perThousand = modes.map((mode, i) => (1000 * (after[i] - before[i])) / mode.issued);
for (const [i, mode] of modes.entries()) {
  const waits = mode.downs.join(', ');
  const row = [mode.label, mode.issued, mode.failed, after[i] - before[i], perThousand[i].toFixed(1), mode.ups, waits];
  console.log(`| ${row.join(' | ')} |`);
}
const ratio = perThousand[0] / Math.max(Number.MIN_VALUE, perThousand[1]);
console.log(`\nflapping server's requests, flap memory on / off: ${(ratio * 100).toFixed(1)} %`);

if (!closed) await Promise.all(modes.map((mode) => mode.gate.close()));
for (const mode of modes) {
  await Promise.all([mode.client.close(), mode.stats.close()]);
  await Promise.all(mode.memcacheds.map((memcached) => memcached.stop()));
}

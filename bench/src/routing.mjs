// Routing (issue 29), on real local memcached processes and the fault proxy, every loop bounded in
// count and time:
//   outage   4 primaries + 1 gutter under a cache-aside load (90 % reads, a miss refilled, 8 %
//            updates, 2 % deletes). One primary is killed, then restarted empty; later another is
//            frozen (SIGSTOP) and thawed with its old items. The same load runs with Dalli's rehash
//            (no routes) and with the proxy's failover-gutter routes: ops/s, failed operations
//            after the mark-down, hit ratio per second against the one before the kill, the longest
//            TTL found in the gutter, and stale reads (a value older than one whose write or
//            delete was acknowledged before the read was issued).
//   replicas 2 replicas, allSync writes, allFastest reads; read p99 healthy, then with one replica
//            slowed 200 ms by the fault proxy; failed reads.
//   warmup   3 → 4 servers: misses the application sees on the moved keys with and without a
//            warmUp route, and the new server's get_misses.
//   shadow   reads with and without a 1 % shadow to another pool, interleaved: p50/p99, mismatches.
//
//   node24 bench/src/routing.mjs [--scenarios outage,replicas,warmup,shadow] [--seconds 1]
//
// `--seconds` scales every phase (1 = the durations above; 0.3 for a quick look).
import { spawn } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Histogram } from './histogram.mjs';
import { seededRandom } from './seeded-random.mjs';

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'outage,replicas,warmup,shadow' },
    seconds: { type: 'string', default: '1' },
    core: { type: 'string', default: './packages/core/src/index.ts' },
    'test-utils': { type: 'string', default: './packages/test-utils/src/index.ts' },
  },
});
const load = (path) => import(path.startsWith('.') ? new URL(path, `file://${process.cwd()}/`).href : path);
const { Client } = await load(values.core);
const { startMemcached, itemTtl } = await load(values['test-utils']);
const SCALE = Number(values.seconds);
const ms = (seconds) => Math.round(seconds * 1000 * SCALE);
const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));
const MAX_OPS = 20_000_000;

/** The proxy's failover-gutter example: writes to the gutter live at most 300 s. */
const GUTTER_ROUTES = {
  write: { route: 'failover', children: ['main', { route: 'ttl', ttl: 300, child: 'gutter' }] },
  default: { route: 'failover', children: ['main', 'gutter'] },
};
const FAILURE_OPTIONS = { socketTimeout: 0.2, socketMaxFailures: 2, downRetryDelay: 1 };

/**
 * A cache-aside load: `inFlight` callers, each reading a random key, refilling a miss, and now
 * and then updating or deleting one. Tracks per-second reads, hits and failures, and stale reads.
 */
function cacheAsideLoad(client, { keys, inFlight, seed }) {
  const next = seededRandom(seed);
  const floor = new Float64Array(keys); // the newest acknowledged version (or delete) per key
  const writing = new Uint8Array(keys);
  let version = 0;
  let running = true;
  let ops = 0;
  const seconds = [];
  let start = performance.now();
  const second = () => {
    const at = Math.floor((performance.now() - start) / 1000);
    while (seconds.length <= at) seconds.push({ reads: 0, hits: 0, failures: 0, stale: 0, at: seconds.length });
    return seconds[at];
  };
  const write = async (index, value) => {
    writing[index] = 1;
    const v = ++version;
    try {
      if (value === undefined) await client.delete(`k:${index}`);
      else await client.set(`k:${index}`, { v, pad: value });
      floor[index] = Math.max(floor[index], v);
    } catch {
      second().failures++;
    } finally {
      writing[index] = 0;
    }
  };
  const caller = async () => {
    while (running && ops < MAX_OPS) {
      ops++;
      const index = Math.floor(next() * keys);
      const roll = next();
      if (roll < 0.1 && writing[index] === 0) {
        await write(index, roll < 0.02 ? undefined : 'updated');
        continue;
      }
      const issuedFloor = floor[index];
      try {
        const value = await client.get(`k:${index}`);
        const now = second();
        now.reads++;
        if (value === undefined) {
          if (writing[index] === 0) await write(index, 'refill');
        } else {
          now.hits++;
          if (value.v < issuedFloor) now.stale++;
        }
      } catch {
        second().failures++;
      }
    }
  };
  let callers = [];
  return {
    /** Fills every key, then starts the callers (a fill racing them would write over their updates). */
    async start() {
      for (let i = 0; i < keys; i += 500) {
        const batch = Array.from({ length: Math.min(500, keys - i) }, (_, j) => [`k:${i + j}`, { v: 0, pad: 'fill' }]);
        await client.setMulti(batch);
      }
      start = performance.now();
      callers = Array.from({ length: inFlight }, caller);
    },
    seconds,
    get ops() {
      return ops;
    },
    async stop() {
      running = false;
      await Promise.all(callers);
    },
  };
}

/** The TTL left of every test key the gutter holds (read with `mg <key> t`), while the outage lasts. */
async function gutterTtls(gutter) {
  const ttls = [];
  for (let i = 0; i < 20_000; i += 4) {
    const left = await itemTtl(gutter.address, `k:${i}`);
    if (left !== undefined) ttls.push(left);
  }
  return {
    sampledKeys: 5_000,
    inGutter: ttls.length,
    maxTtlLeft: Math.max(...ttls),
    neverExpiring: ttls.filter((ttl) => ttl < 0).length,
  };
}

async function outage(mode) {
  const nodes = await Promise.all(Array.from({ length: 5 }, () => startMemcached({ args: ['-m', '256'] })));
  const [gutter, ...primaries] = nodes;
  const options =
    mode === 'gutter'
      ? { ...FAILURE_OPTIONS, pools: { gutter: { servers: gutter.address } }, routes: GUTTER_ROUTES }
      : FAILURE_OPTIONS;
  const client = new Client(
    primaries.map((node) => node.address),
    options,
  );
  const downs = [];
  const onDown = (message) => {
    if (message.client === client) downs.push(performance.now());
  };
  subscribe('dalli:server:down', onDown);
  const load = cacheAsideLoad(client, { keys: 20_000, inFlight: 64, seed: 29 });
  await load.start();
  const started = performance.now();
  const t = (seconds) => sleep(Math.max(0, started + ms(seconds) - performance.now()));
  await t(6);
  const killedAt = performance.now();
  primaries[0].signal('SIGKILL');
  await t(17);
  const gutterTtl = mode === 'gutter' ? await gutterTtls(gutter) : undefined;
  await t(18);
  await primaries[0].start();
  await t(24);
  await primaries[1].freeze();
  await t(30);
  await primaries[1].thaw();
  const thawedAt = performance.now();
  await t(36);
  const ended = performance.now();
  await load.stop();
  const ops = load.ops;
  const seconds = load.seconds;
  const secondOf = (at) => Math.floor((at - started) / 1000);
  const ratio = (s) => (s.reads === 0 ? 0 : s.hits / s.reads);
  const before = seconds.slice(secondOf(killedAt) - 2, secondOf(killedAt));
  const baseline = before.reduce((sum, s) => sum + s.hits, 0) / before.reduce((sum, s) => sum + s.reads, 0);
  const after = seconds.slice(secondOf(killedAt) + 1);
  const back = after.find((s) => ratio(s) >= 0.9 * baseline);
  const markedDown = downs[0] ?? killedAt;
  // Failures after the mark-down window of the kill (the first second after it is the window).
  const failuresAfter = seconds
    .filter((s) => s.at > secondOf(markedDown) && s.at < secondOf(ended))
    .reduce((sum, s) => sum + s.failures, 0);
  const stale = seconds.reduce((sum, s) => sum + s.stale, 0);
  const staleAfterThaw = seconds.filter((s) => s.at >= secondOf(thawedAt)).reduce((sum, s) => sum + s.stale, 0);
  const stats = client.routeStats();
  await client.close();
  await Promise.all(nodes.map((node) => node.stop()));
  return {
    mode,
    opsPerSecond: Math.round(ops / ((ended - started) / 1000)),
    baselineHitRatio: baseline.toFixed(3),
    secondsToRecover: back === undefined ? 'never' : back.at - secondOf(killedAt),
    hitRatioBySecond: seconds.map((s) => ratio(s).toFixed(2)).join(' '),
    failuresAfterMarkDown: failuresAfter,
    failuresBySecond: seconds.map((s) => s.failures).join(' '),
    staleReads: stale,
    staleBySecond: seconds.map((s) => s.stale).join(' '),
    staleReadsAfterThaw: staleAfterThaw,
    gutterTtl,
    routeStats: stats,
  };
}

/** The fault proxy in a child process (see fault-proxy-process.mjs): `set(faults)` resolves once applied. */
async function proxyProcess(targetPort) {
  const child = spawn(
    process.execPath,
    [new URL('./fault-proxy-process.mjs', import.meta.url).pathname, String(targetPort)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const port = Number((await lines.next()).value);
  return {
    port,
    async set(faults) {
      child.stdin.write(`${JSON.stringify(faults)}\n`);
      await lines.next();
    },
    async close() {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

async function replicas() {
  const [a, b] = await Promise.all([startMemcached(), startMemcached()]);
  const proxy = await proxyProcess(b.port);
  const client = new Client(a.address, {
    socketTimeout: 1,
    pools: { replica: { servers: `127.0.0.1:${proxy.port}` } },
    routes: {
      write: { route: 'allSync', children: ['main', 'replica'] },
      read: { route: 'allFastest', children: ['main', 'replica'] },
    },
  });
  const keys = 10_000;
  for (let i = 0; i < keys; i += 500) {
    await client.setMulti(Array.from({ length: 500 }, (_, j) => [`r:${i + j}`, 'x'.repeat(100)]));
  }
  const phase = async (label) => {
    const histogram = new Histogram();
    let failures = 0;
    let ops = 0;
    const until = performance.now() + ms(5);
    const next = seededRandom(7);
    const caller = async () => {
      while (performance.now() < until && ops < MAX_OPS) {
        ops++;
        const begin = performance.now();
        try {
          await client.get(`r:${Math.floor(next() * keys)}`);
          histogram.record((performance.now() - begin) * 1000);
        } catch {
          failures++;
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, caller));
    return { phase: label, reads: ops, failures, p50: histogram.percentile(0.5), p99: histogram.percentile(0.99) };
  };
  const healthy = await phase('healthy');
  await proxy.set({ replyDelay: 200 });
  const slowed = await phase('one replica +200 ms');
  await client.close();
  await proxy.close();
  await Promise.all([a.stop(), b.stop()]);
  return { healthy, slowed, p99Ratio: (slowed.p99 / healthy.p99).toFixed(2) };
}

async function warmup() {
  const nodes = await Promise.all(Array.from({ length: 4 }, () => startMemcached({ args: ['-m', '256'] })));
  const three = nodes.slice(0, 3).map((node) => node.address);
  const all = nodes.map((node) => node.address);
  const keys = Array.from({ length: 30_000 }, (_, i) => `w:${i}`);
  const result = {};
  for (const mode of ['rehash', 'warmUp']) {
    const routes = mode === 'warmUp' ? { routes: { default: { route: 'warmUp', child: 'main', ttl: 3600 } } } : {};
    const client = new Client(three, routes);
    for (const node of nodes) await new Client(node.address).flush();
    for (let i = 0; i < keys.length; i += 500) await client.setMulti(keys.slice(i, i + 500).map((key) => [key, key]));
    const diff = await client.setServers(all);
    const moved = keys.filter((key) => diff.moved(key));
    const misses = async () => {
      const stats = await new Client(nodes[3].address).stats();
      return Number(stats[nodes[3].address].get_misses);
    };
    const before = await misses();
    let appMisses = 0;
    for (let i = 0; i < moved.length; i += 200) {
      const read = await Promise.all(moved.slice(i, i + 200).map((key) => client.get(key)));
      appMisses += read.filter((value) => value === undefined).length;
    }
    const firstPass = (await misses()) - before;
    await sleep(100);
    let secondPassApp = 0;
    for (let i = 0; i < moved.length; i += 200) {
      const read = await Promise.all(moved.slice(i, i + 200).map((key) => client.get(key)));
      secondPassApp += read.filter((value) => value === undefined).length;
    }
    const secondPass = (await misses()) - before - firstPass;
    result[mode] = {
      moved: moved.length,
      applicationMisses: appMisses,
      newOwnerGetMissesFirstRead: firstPass,
      applicationMissesSecondRead: secondPassApp,
      newOwnerGetMissesSecondRead: secondPass,
      routeStats: client.routeStats(),
    };
    await client.close();
  }
  await Promise.all(nodes.map((node) => node.stop()));
  return result;
}

async function shadow() {
  const [a, c] = await Promise.all([startMemcached(), startMemcached()]);
  const keys = 10_000;
  const plain = new Client(a.address);
  for (let i = 0; i < keys; i += 500) {
    await plain.setMulti(Array.from({ length: 500 }, (_, j) => [`s:${i + j}`, 'x'.repeat(100)]));
  }
  const shadowing = (rate) =>
    new Client(a.address, {
      pools: { candidate: { servers: c.address } },
      routes: { read: { route: 'shadow', child: 'main', shadow: 'candidate', rate } },
    });
  const unsampled = shadowing(0);
  const shadowed = shadowing(0.01);
  const run = async (client, seed) => {
    const histogram = new Histogram();
    let ops = 0;
    const until = performance.now() + ms(3);
    const next = seededRandom(seed);
    const caller = async () => {
      while (performance.now() < until && ops < MAX_OPS) {
        ops++;
        const begin = performance.now();
        await client.get(`s:${Math.floor(next() * keys)}`);
        histogram.record((performance.now() - begin) * 1000);
      }
    };
    await Promise.all(Array.from({ length: 32 }, caller));
    return { ops, p50: histogram.percentile(0.5), p99: histogram.percentile(0.99) };
  };
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    rounds.push({
      round,
      unrouted: await run(plain, round),
      shadowAt0: await run(unsampled, round),
      shadowAt1Percent: await run(shadowed, round),
    });
  }
  await sleep(100);
  const stats = shadowed.routeStats();
  await Promise.all([plain.close(), unsampled.close(), shadowed.close()]);
  await Promise.all([a.stop(), c.stop()]);
  return { rounds, shadowed: stats.shadowed, mismatches: stats.shadowMismatches };
}

/** The cost of routing on a healthy cluster: the same load unrouted and through failover-gutter, interleaved. */
async function overhead() {
  const nodes = await Promise.all(Array.from({ length: 5 }, () => startMemcached({ args: ['-m', '256'] })));
  const [gutter, ...primaries] = nodes;
  const servers = primaries.map((node) => node.address);
  const plain = new Client(servers, FAILURE_OPTIONS);
  const routed = new Client(servers, {
    ...FAILURE_OPTIONS,
    pools: { gutter: { servers: gutter.address } },
    routes: GUTTER_ROUTES,
  });
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    for (const [name, client] of [
      ['unrouted', plain],
      ['failover-gutter', routed],
    ]) {
      const load = cacheAsideLoad(client, { keys: 20_000, inFlight: 64, seed: round });
      await load.start();
      const begin = performance.now();
      await sleep(ms(4));
      await load.stop();
      rounds.push({ round, client: name, opsPerSecond: Math.round(load.ops / ((performance.now() - begin) / 1000)) });
    }
  }
  await Promise.all([plain.close(), routed.close()]);
  await Promise.all(nodes.map((node) => node.stop()));
  return rounds;
}

const modes = (process.env.OUTAGE_MODES ?? 'rehash,gutter').split(',');
const scenarios = {
  outage: async () => {
    const results = [];
    for (const mode of modes) results.push(await outage(mode));
    return results;
  },
  overhead,
  replicas,
  warmup,
  shadow,
};
for (const name of values.scenarios.split(',')) {
  const started = performance.now();
  const result = await scenarios[name]();
  console.log(`\n## ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(JSON.stringify(result, null, 2));
}
process.exit(0);

// What building a ring costs at fleet scale, per distribution: the ring alone (`buildRing`, at once),
// the same ring built in slices (`buildRingInSlices`), `new Client()` with that many servers (no
// connection is made: nothing is sent), and `setServers()` adding then removing one server. Each figure is the wall time and the longest event-loop block seen while it ran
// (`perf_hooks.monitorEventLoopDelay` at 1 ms resolution, less that resolution), median of the rounds.
// The constructor alone is its wall time (median, and the longest round); the process's very first
// constructor, with the code still cold as in an app, is printed apart. Where the kernel counts thread CPU by scheduler ticks
// (this VM: 4 ms), the CPU figure moves in steps of about that.
//
//   node24 bench/src/ring-build.mjs [--src packages/core/src] [--sizes 1000,10000] [--rounds 3]
//                                   [--distributions dalli,ketama,…] [--change-size 1000]
//
// Loads the TypeScript sources directly (Node 24 strips types), so `--src` can point at an older
// copy of packages/core/src to compare (e.g. one extracted with `git archive <commit> packages/core/src`).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    src: { type: 'string', default: 'packages/core/src' },
    sizes: { type: 'string', default: '1000,10000' },
    rounds: { type: 'string', default: '3' },
    distributions: {
      type: 'string',
      default: 'dalli,ketama,libmemcached-consistent,twemproxy,node-memcached,memjs',
    },
    'change-size': { type: 'string', default: '1000' },
  },
});
const base = new URL(`${values.src.replace(/\/$/, '')}/`, `file://${process.cwd()}/`);
const { buildRing } = await import(new URL('cluster/rings/build-ring.ts', base).href);
// Absent from sources older than the build in slices.
const sliced = await import(new URL('cluster/rings/build-ring-in-slices.ts', base).href).catch(() => undefined);
const { Client } = await import(new URL('client.ts', base).href);

const SIZES = values.sizes.split(',').map(Number);
const ROUNDS = Number(values.rounds);
const DISTRIBUTIONS = values.distributions.split(',');
const CHANGE_SIZE = Number(values['change-size']);
const RESOLUTION_MS = 1;

/** n distinct loopback addresses on the memcached port: 127.0.0.1, 127.0.0.2, … (nothing listens). */
function addresses(n) {
  return Array.from({ length: n }, (_, i) => `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) + 1}:11211`);
}

/**
 * Runs `work` (sync or async) and returns, in ms, its wall time, the longest event-loop block seen
 * meanwhile, and the main thread's CPU time in the longest stretch between two turns of the loop.
 * The block counts time the process was not running at all (a loaded machine stretches it); the
 * CPU figure does not, and is what the code itself holds the loop for (Node ≥ 23.9, else n/a).
 */
async function measure(work) {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // Let the monitor's timer start before the work, and fire once after it.
  await new Promise((resolve) => setTimeout(resolve, 3));
  const turns = cpuBetweenTurns();
  const start = performance.now();
  const result = await work();
  const wall = performance.now() - start;
  const cpu = turns.stop();
  await new Promise((resolve) => setTimeout(resolve, 3));
  histogram.disable();
  const block = Math.max(0, histogram.max / 1e6 - RESOLUTION_MS);
  return { wall, block, cpu, result };
}

/** Main-thread CPU (ms) of the longest stretch between two turns of the event loop, from now to stop(). */
function cpuBetweenTurns() {
  if (typeof process.threadCpuUsage !== 'function') return { stop: () => Number.NaN };
  const cpuNow = () => {
    const usage = process.threadCpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  let last = cpuNow();
  let longest = 0;
  let running = true;
  const turn = () => {
    const now = cpuNow();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  return {
    stop() {
      running = false;
      // The stretch still open (a synchronous build never let a turn happen) counts too.
      return Math.max(longest, cpuNow() - last);
    },
  };
}

function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function rounds(work) {
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) runs.push(await measure(work));
  return summary(runs);
}

function summary(runs) {
  const of = (field) => median(runs.map((run) => run[field]));
  return { wall: of('wall'), block: of('block'), cpu: of('cpu') };
}

// An app's one `new Client`: the first of the process, the code still cold, before anything else.
const coldServers = addresses(Math.max(...SIZES));
const coldStarted = performance.now();
const coldClient = new Client(coldServers, { distribution: DISTRIBUTIONS[0] });
const coldMs = performance.now() - coldStarted;
await coldClient.setServers(coldServers);
await coldClient.close();

const format = (figure) =>
  `${figure.wall.toFixed(1)} / ${figure.block.toFixed(1)} (${Number.isNaN(figure.cpu) ? 'n/a' : figure.cpu.toFixed(1)})`;
const builds = [];
const changes = [];
for (const distribution of DISTRIBUTIONS) {
  for (const size of SIZES) {
    const servers = addresses(size);
    // Fresh member objects every round: nothing computed for one round is reused by the next.
    const ring = await rounds(() =>
      buildRing(
        distribution,
        servers.map((name) => ({ name, weight: 1 })),
      ),
    );
    const inSlices =
      sliced === undefined
        ? undefined
        : await rounds(() =>
            sliced.buildRingInSlices(
              distribution,
              servers.map((name) => ({ name, weight: 1 })),
            ),
          );
    const clients = [];
    const constructors = [];
    // Until the ring is in use: a fleet's servers are made and its first ring built in slices
    // after the constructor returns, and setServers() with the same list resolves once they are
    // (a change waits for them). The constructor's own time is the part that holds the loop for sure.
    const client = await rounds(async () => {
      const started = performance.now();
      const made = new Client(servers, { distribution });
      constructors.push(performance.now() - started);
      clients.push(made);
      await made.setServers(servers);
    });
    await Promise.all(clients.map((made) => made.close()));
    builds.push(
      `| ${distribution} | ${size} | ${format(ring)} | ${inSlices === undefined ? 'n/a' : format(inSlices)} | ${format(client)} | ${median(constructors).toFixed(1)} (max ${Math.max(...constructors).toFixed(1)}) |`,
    );
  }
  const servers = addresses(CHANGE_SIZE);
  const extra = addresses(CHANGE_SIZE + 1).at(-1);
  const client = new Client(servers, { distribution });
  const added = [];
  const removed = [];
  for (let round = 0; round < ROUNDS; round++) {
    added.push(await measure(() => client.setServers([...servers, extra])));
    removed.push(await measure(() => client.setServers(servers)));
  }
  await client.close();
  changes.push(`| ${distribution} | ${CHANGE_SIZE} | ${format(summary(added))} | ${format(summary(removed))} |`);
}

console.log(
  `ring-build: ${values.src}, Node ${process.version}, median of ${ROUNDS}, ms: wall / longest event-loop block (main-thread CPU in the longest stretch between turns)`,
);
console.log(
  '\n| distribution | servers | ring build | ring build in slices | new Client | its constructor alone |\n|---|---|---|---|---|---|',
);
for (const row of builds) console.log(row);
console.log(
  `\nThe process's first new Client(${coldServers.length} servers, '${DISTRIBUTIONS[0]}'), code still cold: ${coldMs.toFixed(1)} ms`,
);
console.log('\n| distribution | servers | setServers(+1) | setServers(-1) |\n|---|---|---|---|');
for (const row of changes) console.log(row);

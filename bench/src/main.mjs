// The benchmark: @dalli/core against memjs, memcached, memcache-client and memcache, beside a
// raw lower bound, on local memcached processes (-t 1) it starts itself. Runs are interleaved
// round by round, each in a fresh process; figures are medians over the rounds (min–max shown).
//   node bench/src/main.mjs [--quick] [--rounds N] [--ms N] [--scenarios a,b] [--clients a,b]
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@dalli/core';
import { startMemcached, startTwemproxy } from '@dalli/test-utils';
import { clients } from './clients/index.mjs';
import { writeReports } from './reports.mjs';
import { KEYSPACE, key, scenarios, VALUE_100 } from './scenarios.mjs';
import { median } from './stats.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    ms: { type: 'string' },
    scenarios: { type: 'string' },
    clients: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
  },
});
// memcached on the first core, the client under test on the second: without this, the scheduler
// sometimes puts both on one core and a run loses half its speed, which is noise, not a result.
const pin = !args['no-pin'] && availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;
const rounds = Number(args.rounds ?? (args.quick ? 2 : 3));
const runMs = Number(args.ms ?? (args.quick ? 1_000 : 3_000));
const rateMs = args.quick ? 3_000 : 10_000;
const chosenScenarios = scenarios.filter(
  (s) => args.scenarios === undefined || args.scenarios.split(',').includes(s.id),
);
const chosenClients = Object.keys(clients).filter(
  (id) => args.clients === undefined || args.clients.split(',').includes(id),
);
const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/** Which clients run a scenario: the traced variant only where it is compared, no raw bound at a fixed rate. */
function clientsFor(scenario) {
  return chosenClients.filter((id) => {
    if (id === 'dalli-traced' && !scenario.traced) return false;
    if (id === 'raw' && scenario.rate !== undefined) return false;
    return clients[id].unsupported?.() === undefined;
  });
}

function runWorker(clientId, scenario, servers) {
  const limit = scenario.rate === undefined ? runMs : rateMs;
  return new Promise((resolve, reject) => {
    const command = [process.execPath, worker, clientId, scenario.id, servers.join(','), String(limit)];
    const child = spawn(pin ? 'taskset' : command[0], pin ? ['-c', '1', ...command] : command.slice(1), {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    // Every run is bounded: a client that hangs is killed and reported as failed.
    const timer = setTimeout(() => child.kill('SIGKILL'), limit * 4 + 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(output));
      else reject(new Error(`${clientId} on ${scenario.id} exited with ${code}`));
    });
  });
}

async function populate(servers) {
  for (const server of servers) {
    const client = new Client(server, { compress: false });
    await client.setMulti(
      Array.from({ length: KEYSPACE }, (_, i) => [key(i), VALUE_100]),
      0,
      { raw: true },
    );
    await client.close();
  }
}

const memcached = await Promise.all([0, 1, 2].map(() => startMemcached({ args: ['-t', '1', '-c', '4096'] })));
const servers = memcached.map((server) => server.address);
// twemproxy (nutcracker) in front of the same servers, for the clients measured through it.
const twemproxy = chosenClients.some((id) => clients[id].viaTwemproxy)
  ? await startTwemproxy(memcached, { timeoutMs: 5_000 })
  : undefined;
if (pin) {
  const pids = [...memcached.map((server) => server.pid), ...(twemproxy?.pid ? [twemproxy.pid] : [])];
  for (const pid of pids) spawnSync('taskset', ['-a', '-p', '-c', '0', String(pid)]);
}
/** The addresses a client connects to: the servers, or twemproxy in front of them. */
const addressesFor = (clientId) => (clients[clientId].viaTwemproxy ? [twemproxy.address] : servers);
const skipped = Object.keys(clients)
  .filter((id) => clients[id].unsupported?.() !== undefined)
  .map((id) => `${clients[id].name}: ${clients[id].unsupported()}`);
console.log(
  `node ${process.version}, memcached ${(await new Client(servers[0]).version())[servers[0]]} -t 1, ` +
    `${rounds} rounds of ${runMs} ms (fixed rate: ${rateMs} ms), each run in its own process, ` +
    (pin ? 'memcached pinned to CPU 0 and clients to CPU 1' : 'unpinned'),
);
if (skipped.length > 0) console.log(`skipped: ${skipped.join('; ')}`);

const runs = [];
try {
  await populate(servers);
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of chosenScenarios) {
      for (const clientId of clientsFor(scenario)) {
        try {
          runs.push({ scenario, clientId, ...(await runWorker(clientId, scenario, addressesFor(clientId))) });
        } catch (error) {
          console.error(`  ${error.message}`);
          runs.push({ scenario, clientId, failed: true });
        }
      }
    }
    console.log(`round ${round}/${rounds} done`);
  }
} finally {
  await twemproxy?.stop();
  await Promise.all(memcached.map((server) => server.stop()));
}

const records = [];
for (const scenario of chosenScenarios) {
  for (const clientId of clientsFor(scenario)) {
    const mine = runs.filter((run) => run.scenario === scenario && run.clientId === clientId && !run.failed);
    if (mine.length === 0) {
      records.push({ scenario: scenario.name, client: clients[clientId].name, failed: true });
      continue;
    }
    const rates = mine.map((run) => run.opsPerSecond);
    records.push({
      scenario: scenario.name,
      scenarioId: scenario.id,
      client: clients[clientId].name,
      clientId,
      opsPerSecond: median(rates),
      opsPerSecondMin: Math.min(...rates),
      opsPerSecondMax: Math.max(...rates),
      opsPerSecondByRound: rates.map(Math.round),
      cpuMicrosPerOp: median(mine.map((run) => run.cpuMicrosPerOp)),
      p50Ms: median(mine.map((run) => run.p50Ms)),
      p99Ms: median(mine.map((run) => run.p99Ms)),
      peakRssMb: Math.max(...mine.map((run) => run.peakRssMb)),
      rounds: mine.length,
    });
  }
  const rawRecord = records.find((record) => record.scenarioId === scenario.id && record.clientId === 'raw');
  for (const record of records.filter((r) => r.scenarioId === scenario.id && rawRecord !== undefined && !r.failed)) {
    record.ratioToRaw = record.opsPerSecond / rawRecord.opsPerSecond;
  }
}

const number = (value, digits = 0) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));
for (const scenario of chosenScenarios) {
  console.log(`\n${scenario.name}${scenario.kind === 'getMulti' ? ' (ops = multi-gets)' : ''}`);
  console.table(
    records
      .filter((record) => record.scenario === scenario.name)
      .map((record) => ({
        client: record.client,
        'ops/s': record.failed ? 'failed' : Math.round(record.opsPerSecond),
        'min–max': record.failed ? '' : `${Math.round(record.opsPerSecondMin)}–${Math.round(record.opsPerSecondMax)}`,
        'vs raw': number(record.ratioToRaw, 2),
        'CPU µs/op': number(record.cpuMicrosPerOp, 2),
        'p50 ms': number(record.p50Ms, 3),
        'p99 ms': number(record.p99Ms, 3),
        'peak RSS MB': number(record.peakRssMb),
      })),
  );
}

const summary = {
  node: process.version,
  date: new Date().toISOString(),
  rounds,
  runMs,
  rateMs,
  pinned: pin,
  skipped,
  records,
};
const written = writeReports(summary, 'latest');
console.log(`\nwritten: ${written.join(', ')}`);

// Runs one client on one scenario in a process of its own, so each figure has its own heap and
// its own peak RSS, and prints one JSON line. Spawned by main.mjs.
//   node worker.mjs <client> <scenario> <comma-separated servers> <maxMs>
import { clients } from './clients/index.mjs';
import { closedLoop, fixedRate } from './loops.mjs';
import { KEYSPACE, key, SET_PREFIX, scenarios } from './scenarios.mjs';

const [clientId, scenarioId, serverList, maxMsText] = process.argv.slice(2);
const client = clients[clientId];
const scenario = scenarios.find((candidate) => candidate.id === scenarioId);
const addresses = serverList.split(',').slice(0, scenario.servers);
const maxMs = Number(maxMsText);
const MAX_OPS = 50_000_000;

async function measure() {
  if (client.run !== undefined) {
    await client.run(scenario, addresses, { maxOps: 2_000, maxMs: 200 }); // warm-up
    return client.run(scenario, addresses, { maxOps: MAX_OPS, maxMs });
  }
  const handle = await client.open(addresses);
  const op = operation(handle);
  await closedLoop({ op, concurrency: Math.min(scenario.concurrency ?? 10, 100), maxOps: 2_000, maxMs: 200 }); // warm-up
  const result =
    scenario.rate === undefined
      ? await closedLoop({ op, concurrency: scenario.concurrency, maxOps: MAX_OPS, maxMs })
      : await fixedRate({ op, rate: scenario.rate, durationMs: maxMs, maxInFlight: 10_000 });
  await handle.close();
  return result;
}

// Keys (and multi-get key lists) are built before the run, so the loop measures the client.
const keys = Array.from({ length: KEYSPACE }, (_, i) => key(i));
const setKeys = Array.from({ length: KEYSPACE }, (_, i) => key(i, SET_PREFIX));
const batches = Array.from({ length: 10 }, (_, b) =>
  Array.from({ length: scenario.batch ?? 0 }, (_, j) => key(b * 100 + j)),
);

function operation(handle) {
  switch (scenario.kind) {
    case 'get':
      return (i, done) => handle.get(keys[i % KEYSPACE], done);
    case 'set':
      return (i, done) => handle.set(setKeys[i % KEYSPACE], scenario.value, done);
    case 'mix':
      return (i, done) =>
        i % 10 === 0 ? handle.set(keys[i % KEYSPACE], scenario.value, done) : handle.get(keys[i % KEYSPACE], done);
    case 'getMulti':
      return (i, done) => handle.getMulti(batches[i % 10], done);
  }
  throw new Error(`no operation for ${scenario.kind}`);
}

const result = await measure();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...result, peakRssMb })}\n`);
process.exit(0);

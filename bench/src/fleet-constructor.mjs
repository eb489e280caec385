// What an app's one `new Client(fleet)` holds the event loop for, code still cold: each run is a
// fresh process that imports the client, constructs it over `--servers` loopback addresses
// (nothing connects), and waits until its servers and ring are in use (setServers() with the same
// list resolves then). It reports the constructor's wall time and the longest stretch between two
// turns of the event loop from the constructor to that point (setImmediate turns; on a loaded
// machine this includes time the process was not running). Then, in the same process, setServers()
// from 2 servers to the fleet: the longest stretch while it applies.
//
//   node  bench/src/fleet-constructor.mjs --module packages/core/dist/index.mjs [--servers 10000] [--runs 7]
//   node24 bench/src/fleet-constructor.mjs [--module packages/core/src/index.ts] …
//
// Node 20 loads the built package (`pnpm --filter @dalli/core run build`); Node 24 the sources too.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    module: { type: 'string', default: 'packages/core/src/index.ts' },
    servers: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '7' },
    distribution: { type: 'string', default: 'dalli' },
    child: { type: 'boolean', default: false },
  },
});

if (values.child) {
  const { Client } = await import(pathToFileURL(values.module).href);
  const fleet = Array.from(
    { length: Number(values.servers) },
    (_, i) => `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) + 1}:11211`,
  );
  const options = { distribution: values.distribution };
  let longest = 0;
  let last = 0;
  let running = false;
  const turn = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(turn);
  };
  const watch = async (work) => {
    longest = 0;
    running = true;
    last = performance.now();
    setImmediate(turn);
    const result = await work();
    running = false;
    turn();
    return result;
  };
  let constructorMs = 0;
  let client;
  const built = await watch(async () => {
    const started = performance.now();
    client = new Client(fleet, options);
    constructorMs = performance.now() - started;
    await client.setServers(fleet);
    return longest;
  });
  await client.close();
  const small = new Client(fleet.slice(0, 2), options);
  const grown = await watch(async () => {
    await small.setServers(fleet);
    return longest;
  });
  await small.close();
  console.log(JSON.stringify({ constructorMs, built, grown }));
} else {
  const runs = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const args = [...process.execArgv, new URL(import.meta.url).pathname, '--child', ...process.argv.slice(2)];
    const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    runs.push(JSON.parse(child.stdout));
  }
  const spread = (field) => {
    const sorted = runs.map((run) => run[field]).sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
    return `${at(0.5)} (${sorted[0].toFixed(1)}–${sorted.at(-1).toFixed(1)})`;
  };
  console.log(
    `fleet-constructor: ${values.module}, ${values.servers} servers, '${values.distribution}', Node ${process.version}, ${runs.length} fresh processes, ms, median (min–max):`,
  );
  console.log(`  new Client, cold: ${spread('constructorMs')}`);
  console.log(`  from it until the servers and ring are in use, longest stretch between turns: ${spread('built')}`);
  console.log(`  setServers() from 2 servers to all, longest stretch between turns: ${spread('grown')}`);
}

// One process of the herd: `callers` loops reading one hot key until `endAt` (epoch ms), each
// read timed; a miss runs a compute that takes `computeMs`. Prints {computes, latencies}.
import { setTimeout as sleep } from 'node:timers/promises';
import { herdClients } from './herd-clients.mjs';

const [clientId, address, callers, computeMs, startAt, endAt] = process.argv.slice(2);
const client = herdClients[clientId].open(address);
let computes = 0;
const latencies = [];

async function compute() {
  computes++;
  await sleep(Number(computeMs));
  return `computed at ${Date.now()}`;
}

async function caller() {
  while (Date.now() < Number(endAt)) {
    const started = performance.now();
    await client.read('herd:hot', compute);
    latencies.push(performance.now() - started);
    await sleep(5 + Math.random() * 10);
  }
}

await sleep(Math.max(0, Number(startAt) - Date.now()));
await Promise.all(Array.from({ length: Number(callers) }, caller));
await client.close();
process.stdout.write(JSON.stringify({ computes, latencies }));

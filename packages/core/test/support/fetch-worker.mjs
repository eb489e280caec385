// One process of the multi-process fetch tests: `callers` concurrent fetches of one key (or, with
// `multiKeys`, fetchMulti calls of those keys) from the built package, started together at
// `startAt` (epoch ms). Each compute counts the keys it computes with an incr in memcached (so
// counts add up across processes), and prints one JSON line of results.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '../../dist/index.mjs';

const job = JSON.parse(process.argv[2]);
const options = { protocol: job.protocol };
const shared = new Client(job.address, options);
const clients = Array.from({ length: job.callers }, () =>
  job.clientPerCaller ? new Client(job.address, options) : shared,
);

async function compute() {
  await shared.incr(job.counterKey, 1, 0, 1);
  if (job.hang || job.fail) console.log('computing');
  if (job.hang) await new Promise(() => {});
  await sleep(job.computeMs);
  if (job.fail) throw new Error(`compute failed in ${process.pid}`);
  return `value from ${process.pid}`;
}

async function computeMissing(keys) {
  await shared.incr(job.counterKey, keys.length, 0, keys.length);
  await sleep(job.computeMs);
  if (job.fail) throw new Error(`compute failed in ${process.pid}`);
  return new Map(keys.map((key) => [key, `${key} from ${process.pid}`]));
}

const fetchOne = (client) =>
  job.multiKeys === undefined
    ? client.fetch(job.key, 60, compute, job.fetchOptions)
    : client
        .fetchMulti(job.multiKeys, 60, computeMissing, job.fetchOptions)
        .then((found) => JSON.stringify([...found]));

await sleep(Math.max(0, job.startAt - Date.now()));
const settled = await Promise.allSettled(clients.map(fetchOne));
const results = settled.map((result) =>
  result.status === 'fulfilled' ? result.value : `error: ${result.reason.message}`,
);
console.log(JSON.stringify(results));
await Promise.all([...new Set(clients)].map((client) => client.close()));

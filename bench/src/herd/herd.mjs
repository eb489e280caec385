// The herd scenario (issue 16): N processes × M callers read one hot key that "expires" every
// second (this process deletes it on a timer, so every client sees the same expiries) while a
// compute takes --compute-ms. Reports compute calls per expiry (goal: 1) and caller latency.
//   node bench/src/herd/herd.mjs [--processes 4] [--callers 25] [--seconds 10] [--compute-ms 300] [--clients a,b]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@dalli/core';
import { startMemcached } from '@dalli/test-utils';
import { herdClients } from './herd-clients.mjs';

const { values: args } = parseArgs({
  options: {
    processes: { type: 'string', default: '4' },
    callers: { type: 'string', default: '25' },
    seconds: { type: 'string', default: '10' },
    'compute-ms': { type: 'string', default: '300' },
    clients: { type: 'string' },
  },
});
const worker = fileURLToPath(new URL('./herd-worker.mjs', import.meta.url));
const chosen = Object.keys(herdClients).filter(
  (id) => args.clients === undefined || args.clients.split(',').includes(id),
);
const seconds = Math.min(60, Number(args.seconds));

function runWorker(clientId, address, startAt, endAt) {
  const argv = [worker, clientId, address, args.callers, args['compute-ms'], String(startAt), String(endAt)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (status === 0) resolve(JSON.parse(output));
      else reject(new Error(`${clientId} worker exited with ${status}`));
    });
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function runClient(clientId) {
  const memcached = await startMemcached();
  const expirer = new Client(memcached.address);
  try {
    const startAt = Date.now() + 1000;
    const endAt = startAt + seconds * 1000;
    const workers = Array.from({ length: Number(args.processes) }, () =>
      runWorker(clientId, memcached.address, startAt, endAt),
    );
    let expiries = 0;
    const expire = setInterval(() => {
      if (Date.now() >= startAt + 500 && Date.now() < endAt - 500) {
        expiries++;
        void expirer.delete('herd:hot');
      }
    }, 1000);
    const results = await Promise.all(workers);
    clearInterval(expire);
    const computes = results.reduce((sum, result) => sum + result.computes, 0);
    const latencies = results.flatMap((result) => result.latencies).sort((a, b) => a - b);
    // The first fill of the cold key counts as one more expiry.
    return { computes, expiries: expiries + 1, reads: latencies.length, latencies };
  } finally {
    await expirer.close();
    await memcached.stop();
  }
}

console.log(
  `herd: ${args.processes} processes × ${args.callers} callers, ${seconds} s, key expired every 1 s, compute ${args['compute-ms']} ms\n`,
);
console.log('| client | compute calls | expiries | computes per expiry | reads | p50 ms | p99 ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const id of chosen) {
  const { computes, expiries, reads, latencies } = await runClient(id);
  const row = [
    herdClients[id].name,
    computes,
    expiries,
    (computes / expiries).toFixed(2),
    reads,
    percentile(latencies, 50).toFixed(1),
    percentile(latencies, 99).toFixed(1),
  ];
  console.log(`| ${row.join(' | ')} |`);
}

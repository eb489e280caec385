// Behind twemproxy (issue 23, items 3 and 4): gets failed by one stats() per second under 50 get
// workers, and healthy-key get throughput with one of three backends dead. Real memcached and
// nutcracker on loopback; every loop bounded by time (--seconds) and count.
//
//   node bench/src/twemproxy.mjs [--seconds 3] [--core <module>]
//
// `--core` loads another build of the client (a checkout's src/index.ts under Node 24, which strips
// types), so before and after run the same script. A build without the `proxy` option is given the
// equivalent options by hand (protocol 'text', coalesceGets false).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startMemcached, startTwemproxy } from '@dalli/test-utils';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '3' }, core: { type: 'string', default: '@dalli/core' } },
});
const seconds = Number(values.seconds);
const { Client } = await import(
  values.core.startsWith('.') ? new URL(values.core, `file://${process.cwd()}/`).href : values.core
);
const WORKERS = 50;
const MAX_GETS_PER_WORKER = 1_000_000;

/** The `proxy: 'twemproxy'` options, or what they amount to on a build without them. */
function declared(address) {
  try {
    new Client(address, { proxy: 'twemproxy' }).close();
    return { proxy: 'twemproxy' };
  } catch {
    return { protocol: 'text', coalesceGets: false };
  }
}

/** 50 workers reading `keys` for `seconds`; `tick` runs once a second meanwhile. */
async function load(client, keys, tick) {
  const deadline = performance.now() + seconds * 1000;
  const latencies = [];
  let ok = 0;
  let failed = 0;
  const errors = new Map();
  const worker = async (offset) => {
    for (let i = 0; i < MAX_GETS_PER_WORKER && performance.now() < deadline; i++) {
      const started = performance.now();
      try {
        await client.get(keys[(offset + i) % keys.length]);
        ok++;
      } catch (error) {
        failed++;
        errors.set(error.name, (errors.get(error.name) ?? 0) + 1);
      }
      latencies.push(performance.now() - started);
    }
  };
  const ticker = tick === undefined ? undefined : setInterval(tick, 1000);
  await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i * 7)));
  if (ticker !== undefined) clearInterval(ticker);
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  return { ok, failed, errors: Object.fromEntries(errors), p99: Number(p99.toFixed(1)) };
}

async function statsUnderLoad() {
  const backends = await Promise.all([startMemcached(), startMemcached()]);
  const proxy = await startTwemproxy(backends);
  const rows = [];
  for (const [label, options] of [
    ['undeclared (protocol text)', { protocol: 'text' }],
    ['declared', declared(proxy.address)],
  ]) {
    const client = new Client(proxy.address, options);
    const keys = Array.from({ length: 1000 }, (_, i) => `bench:tw:${i}`);
    await client.setMulti(keys.map((key) => [key, key]));
    const stats = new Map();
    const result = await load(client, keys, () => {
      client.stats().then(
        () => stats.set('ok', (stats.get('ok') ?? 0) + 1),
        (error) => stats.set(error.name, (stats.get(error.name) ?? 0) + 1),
      );
    });
    rows.push({ scenario: 'stats() each second', options: label, ...result, stats: Object.fromEntries(stats) });
    await client.close();
  }
  await proxy.stop();
  await Promise.all(backends.map((backend) => backend.stop()));
  return rows;
}

async function deadBackend() {
  const backends = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  const proxy = await startTwemproxy(backends);
  const keys = Array.from({ length: 3000 }, (_, i) => `bench:dead:${i}`);
  const seed = new Client(proxy.address, { protocol: 'text' });
  await seed.setMulti(keys.map((key) => [key, key]));
  await seed.close();
  const direct = new Client(backends[2].address);
  const onDead = await direct.getMulti(keys);
  await direct.close();
  console.log(`${onDead.size} of ${keys.length} keys on the backend stopped`);
  await backends[2].stop();
  const rows = [];
  for (const [label, options] of [
    ['default (protocol text)', { protocol: 'text' }],
    ['declared', declared(proxy.address)],
  ]) {
    const client = new Client(proxy.address, { ...options, socketMaxFailures: 2 });
    // Every key, as an app reads them: about 1 in 3 lives on the dead backend and must fail; the
    // others (`healthy ok`) must not.
    const { ok, ...rest } = await load(client, keys);
    rows.push({ scenario: 'one of 3 backends dead', options: label, 'healthy ok': ok, ...rest });
    await client.close();
  }
  await proxy.stop();
  await Promise.all(backends.map((backend) => backend.stop()));
  return rows;
}

const watchdog = setTimeout(() => {
  console.error('twemproxy bench: did not finish within 120 s');
  process.exit(1);
}, 120_000);
const rows = [...(await statsUnderLoad()), ...(await deadBackend())];
clearTimeout(watchdog);
console.log(`${seconds} s per row, ${WORKERS} workers, core ${values.core}`);
console.table(rows);

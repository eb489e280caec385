// Measures what lease-unaware clients read while a meta fetch computes a missing key for 3 s:
// Ruby's Dalli 3 (its default, binary) and memjs 1.3.2 poll the key every 10 ms and count the
// empty values ("") they read, which only a lease stub can produce here. Run from packages/core
// after `pnpm --filter @dalli/core run build`:
//   node test/integration/stampede/measure-stub-reads.mjs            # default lock, then lock: 'lease'
//   node test/integration/stampede/measure-stub-reads.mjs ../old/dist/index.mjs   # another build
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { startMemcached } from '@dalli/test-utils';

const require = createRequire(import.meta.url);
const memjs = require('memjs');
const built = process.argv[2] ? pathToFileURL(resolve(process.argv[2])).href : '../../../dist/index.mjs';
const { Client } = await import(built);
const COMPUTE_MS = 3000;

/** Ruby Dalli polling `key` for `ms`: prints how many reads were "", nil and other. */
function rubyPoll(address, key, ms) {
  const program = `
    require 'dalli'; Dalli.logger.level = Logger::ERROR
    c = Dalli::Client.new(ARGV[0]); counts = Hash.new(0)
    stop = Process.clock_gettime(Process::CLOCK_MONOTONIC) + ARGV[2].to_f / 1000
    while Process.clock_gettime(Process::CLOCK_MONOTONIC) < stop
      v = c.get(ARGV[1]); counts[v.nil? ? 'nil' : (v == '' ? 'empty' : 'value')] += 1; sleep 0.01
    end
    puts "#{counts['empty']} #{counts['nil']} #{counts['value']}"`;
  const child = spawn('ruby', ['-e', program, address, key, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  return new Promise((done) => child.on('close', () => done(out.trim().split(' ').map(Number))));
}

async function memjsPoll(peer, key, ms) {
  const counts = [0, 0, 0];
  const stop = Date.now() + ms;
  while (Date.now() < stop) {
    const { value } = await peer.get(key);
    counts[value === null ? 1 : value.length === 0 ? 0 : 2]++;
    await sleep(10);
  }
  return counts;
}

const memcached = await startMemcached();
const peer = memjs.Client.create(memcached.address, { retries: 0, logger: { log: () => {} } });
try {
  for (const [label, options] of [
    ['default', { raw: true }],
    ["lock: 'lease'", { raw: true, lock: 'lease' }],
  ]) {
    const client = new Client(memcached.address, { protocol: 'meta' });
    const key = `measure:${label.replace(/\W/g, '')}`;
    const compute = () => sleep(COMPUTE_MS).then(() => 'computed');
    const fetched = client.fetch(key, 60, compute, options);
    await sleep(20);
    const [ruby, js] = await Promise.all([
      rubyPoll(memcached.address, key, COMPUTE_MS - 200),
      memjsPoll(peer, key, COMPUTE_MS - 200),
    ]);
    await fetched;
    await client.close();
    const line = (name, [empty, missing, value]) =>
      `${name} "" reads: ${empty} (nil/null: ${missing}, value: ${value})`;
    console.log(`${label} meta fetch, ${COMPUTE_MS} ms compute: ${line('Ruby Dalli 3', ruby)}; ${line('memjs', js)}`);
  }
} finally {
  peer.close();
  await memcached.stop();
}

// Operations failed in 5 s of DNS discovery against dnsmasq in its default configuration (issue 23,
// item 1): dnsmasq serving a hosts file answers A but REFUSES AAAA. One real memcached, one name
// with its address, a client with `discovery: 'dns'` running set/get in a loop (bounded by count
// and time). Prints the operations done and failed, by error, and the first error's cause.
//
//   node bench/src/dns-default-dnsmasq.mjs [--seconds 5] [--core <module>]
//
// `--core` loads another build of the client (for example a checkout's src/index.ts under Node 24,
// which strips types), so a before/after comparison runs the same script:
//   .tools/node24/.../node --conditions=source bench/src/dns-default-dnsmasq.mjs --core ./packages/core/src/index.ts
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startDnsmasq, startMemcached } from '@dalli/test-utils';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, core: { type: 'string', default: '@dalli/core' } },
});
const { Client } = await import(
  values.core.startsWith('.') ? new URL(values.core, `file://${process.cwd()}/`).href : values.core
);
const MAX_OPERATIONS = 1_000_000;
const seconds = Math.min(Number(values.seconds), 60);

const memcached = await startMemcached();
const dns = await startDnsmasq({ 'memcached.cache.test': [memcached.host] }, { defaultConfig: true });
const client = new Client(`memcached.cache.test:${memcached.port}`, {
  discovery: 'dns',
  dnsServers: [dns.address],
  discoveryInterval: 1,
});

let done = 0;
let failed = 0;
const errors = {};
let firstError;
const deadline = performance.now() + seconds * 1000;
while (performance.now() < deadline && done < MAX_OPERATIONS) {
  const key = `dns-default:${done % 100}`;
  const operation = done % 2 === 0 ? client.set(key, done) : client.get(key);
  done++;
  try {
    await operation;
  } catch (error) {
    failed++;
    firstError ??= error;
    const name = `${error.name}: ${error.message}`;
    errors[name] = (errors[name] ?? 0) + 1;
  }
}
console.log(
  JSON.stringify({
    node: process.version,
    seconds,
    operations: done,
    failed,
    errors,
    firstErrorCause: firstError?.cause === undefined ? undefined : String(firstError.cause.message),
    servers: client.servers().map((server) => server.name),
  }),
);
await client.close();
await dns.stop();
await memcached.stop();

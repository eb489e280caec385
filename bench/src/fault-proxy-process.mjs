// The test fault proxy in a process of its own, so that holding and replaying replies costs the
// measured process no CPU: a slowed server on another machine costs its client none either.
// Prints its port; each stdin line is a JSON Faults object (`{}` heals). Exits when stdin closes.
//
//   node24 bench/src/fault-proxy-process.mjs <target port> [test-utils path]
import { createInterface } from 'node:readline';

const [port, utils = './packages/test-utils/src/index.ts'] = process.argv.slice(2);
const { startFaultProxy } = await import(new URL(utils, `file://${process.cwd()}/`).href);
const proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(port) });
process.stdout.write(`${proxy.port}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const faults = JSON.parse(line);
  if (Object.keys(faults).length === 0) proxy.heal();
  else proxy.set(faults);
  process.stdout.write('ok\n');
}
await proxy.close();
process.exit(0);

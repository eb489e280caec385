// Runs a Worker in workerd (Cloudflare's open-source Workers runtime, from npm) on this machine:
//   node serve.mjs [--servers 127.0.0.1:11211] [--protocol text] [--tls --ca ca.pem] [--port 8787] [--worker worker.mjs]
// Without --servers (or MEMCACHE_SERVERS), it starts a local memcached and stops it at the end.
// Writes a workerd config beside copies of the Worker and the built @dalli/core (workerd loads
// modules named in its config; wrangler would bundle them instead), prints "listening on <url>",
// and stops workerd on SIGINT or SIGTERM. The network service allows "local" addresses: workerd's
// default ("public") refuses 127.0.0.1.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { localServers } from '@dalli/test-utils';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    servers: { type: 'string' },
    protocol: { type: 'string', default: 'meta' },
    tls: { type: 'boolean', default: false },
    ca: { type: 'string' },
    port: { type: 'string', default: '8787' },
    worker: { type: 'string', default: new URL('./worker.mjs', import.meta.url).pathname },
    /** Extra text bindings, NAME=value (the test's checks Worker takes a few more). */
    bind: { type: 'string', multiple: true, default: [] },
  },
});

const memcached = values.servers === undefined ? await localServers(1) : undefined;
const servers = values.servers ?? memcached.servers.join(',');
const dir = mkdtempSync(join(tmpdir(), 'dalli-workerd-'));
copyFileSync(values.worker, join(dir, 'worker.mjs'));
copyFileSync(fileURLToPath(import.meta.resolve('@dalli/core')), join(dir, 'dalli-core.mjs'));
if (values.ca !== undefined) writeFileSync(join(dir, 'ca.pem'), readFileSync(values.ca));
const trust = values.ca === undefined ? '' : ', tlsOptions = (trustedCertificates = [embed "ca.pem"])';
const text = (name, value) => `(name = "${name}", text = ${JSON.stringify(value)})`;
writeFileSync(
  join(dir, 'config.capnp'),
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"]${trust})),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${values.port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker", esModule = embed "worker.mjs"),
    (name = "@dalli/core", esModule = embed "dalli-core.mjs"),
  ],
  bindings = [
    ${text('MEMCACHE_SERVERS', servers)},
    ${text('MEMCACHE_PROTOCOL', values.protocol)},
    ${text('MEMCACHE_TLS', values.tls ? 'on' : 'off')},
    ${values.bind.map((pair) => text(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))).join(',\n    ')}
  ],
  # node:* modules (nodejs_compat) are on by default from this date on.
  compatibilityDate = "2026-11-01",
  globalOutbound = "internet",
);
`,
);

const workerd = spawn(workerdBinary(), ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'inherit'] });
workerd.stdout.on('data', (chunk) => process.stdout.write(chunk));
const stop = () => workerd.kill('SIGTERM');
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
workerd.once('exit', async (code) => {
  rmSync(dir, { recursive: true, force: true });
  await memcached?.stop();
  process.exitCode = code ?? 0;
});
await waitForPort(Number(values.port));
console.log(`memcached: ${servers} (${memcached?.origin ?? '--servers'})`);
console.log(`listening on http://127.0.0.1:${values.port}`);

/** The workerd binary from its npm platform package (no postinstall needed, see pnpm-workspace.yaml). */
function workerdBinary() {
  const pkg = {
    'linux-x64': 'linux-64',
    'linux-arm64': 'linux-arm64',
    'darwin-x64': 'darwin-64',
    'darwin-arm64': 'darwin-arm64',
  }[`${process.platform}-${process.arch}`];
  if (pkg === undefined) throw new Error(`workerd has no binary for ${process.platform}-${process.arch}`);
  const launcher = createRequire(require.resolve('workerd/package.json'));
  return launcher.resolve(`@cloudflare/workerd-${pkg}/bin/workerd`);
}

/** Resolves once workerd accepts connections on `port` (it prints nothing when ready). */
async function waitForPort(port) {
  const { connect } = await import('node:net');
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket.end() && true));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (workerd.exitCode !== null) throw new Error(`workerd exited (${workerd.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`workerd did not listen on ${port} within 10 s`);
}

// The runtime suite: run under Node, Bun or Deno with one argument, a JSON object of servers
// (see cluster-checks.mjs). Loads the BUILT @dalli/core and @dalli/keyv (as a user of the
// published packages would), runs every check in turn, and prints one JSON line:
// { runtime, version, results: [{ name, ok, error? }] }. Exit status 0 even when checks fail:
// the caller reads the summary, and that the process ended by itself.
import { createRequire } from 'node:module';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { clusterChecks } from './cluster-checks.mjs';
import { faultChecks } from './fault-checks.mjs';
import { operationChecks } from './operation-checks.mjs';

const servers = JSON.parse(process.argv[2] ?? '{}');
const core = await import('../../dist/index.mjs');
// Keyv 6, as the keyv adapter's tests know it (core itself does not depend on Keyv).
const fromAdapter = createRequire(new URL('../../../keyv-adapter/package.json', import.meta.url));
const { Keyv } = await import(pathToFileURL(fromAdapter.resolve('keyv6')).href);
const { KeyvDalli } = await import('../../../keyv-adapter/dist/index.mjs');

const checks = [];
for (const protocol of ['binary', 'meta', 'text']) {
  for (const [name, run] of Object.entries(operationChecks(core, protocol, servers.plain[1]))) {
    checks.push([`${protocol}: ${name}`, run]);
  }
}
checks.push(...Object.entries(clusterChecks(core, { Keyv, KeyvDalli }, servers)));
checks.push(...Object.entries(faultChecks(core)));

const results = [];
for (const [name, run] of checks) {
  try {
    await run();
    results.push({ name, ok: true });
  } catch (error) {
    results.push({ name, ok: false, error: String(error?.stack ?? error) });
  }
}
console.log(JSON.stringify({ runtime: runtimeName(), version: runtimeVersion(), results }));

// A client left open with an idle connection must not keep the process alive (its socket is
// unref'd while idle): the caller checks that this process exits by itself.
const unclosed = new core.Client(servers.plain[0]);
await unclosed.get('rt:unclosed');

function runtimeName() {
  if (typeof globalThis.Bun !== 'undefined') return 'bun';
  if (typeof globalThis.Deno !== 'undefined') return 'deno';
  return 'node';
}

function runtimeVersion() {
  if (typeof globalThis.Bun !== 'undefined') return globalThis.Bun.version;
  if (typeof globalThis.Deno !== 'undefined') return globalThis.Deno.version.deno;
  return process.versions.node;
}

import { freePort, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RuntimeName, runSuite, type SuiteRun } from './run-suite.ts';

// One subset of the integration suite (suite.mjs: every operation in the three dialects,
// multi-key operations, TLS, failover, fetch with a lock and a lease, diagnostics_channel, the
// Keyv adapter) run by each runtime on the built packages, one process per runtime.
let servers: MemcachedProcess[] = [];
let addresses: object;
const runs = new Map<RuntimeName, SuiteRun>();

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached(), startMemcached({ kind: 'tls' })]);
  const [one, two, tls] = servers as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
  addresses = {
    plain: [one.address, two.address],
    dead: `127.0.0.1:${await freePort()}`,
    tls: tls.address,
    ca: tls.tls?.ca,
  };
});
afterAll(() => Promise.all(servers.map((server) => server.stop())));

it.each(['node', 'bun', 'deno'] as const)('the runtime suite passes under %s', async (runtime) => {
  const run = await runSuite(runtime, addresses);
  runs.set(runtime, run);
  expect(run.runtime).toBe(runtime);
  expect(run.results.filter((result) => !result.ok)).toEqual([]);
  expect(run.exitCode).toBe(0);
  // Every runtime ran the same checks as Node did.
  expect(run.results.map((result) => result.name)).toEqual(runs.get('node')?.results.map((result) => result.name));
  expect(run.results.length).toBeGreaterThan(30);
});

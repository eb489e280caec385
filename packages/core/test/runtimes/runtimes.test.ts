import { freePort, type MemcachedProcess, SASL_PASSWORD, SASL_USER, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RuntimeName, runSuite, type SuiteRun } from './run-suite.ts';

// One subset of the integration suite (suite.mjs: every operation in the three dialects,
// multi-key operations, TLS (also mutual), SASL, a Unix socket, timeouts and hang-ups, failover,
// fetch with a lock and a lease, diagnostics_channel, the Keyv adapter, the oven-sh/bun#13564
// reproduction) run by each runtime on the built packages, one process per runtime, which must
// then exit by itself.
let servers: MemcachedProcess[] = [];
let addresses: { readonly unix: string; readonly [name: string]: unknown };
const runs = new Map<RuntimeName, SuiteRun>();

beforeAll(async () => {
  servers = await Promise.all([
    startMemcached(),
    startMemcached(),
    startMemcached({ kind: 'tls' }),
    startMemcached({ kind: 'sasl' }),
    startMemcached({ kind: 'unix' }),
    startMemcached({ kind: 'tls', mutualTls: true }),
  ]);
  const [one, two, tls, sasl, unix, mutualTls] = servers as [
    MemcachedProcess,
    MemcachedProcess,
    MemcachedProcess,
    MemcachedProcess,
    MemcachedProcess,
    MemcachedProcess,
  ];
  addresses = {
    plain: [one.address, two.address],
    dead: `127.0.0.1:${await freePort()}`,
    tls: tls.address,
    ca: tls.tls?.ca,
    mutualTls: mutualTls.address,
    clientCert: mutualTls.tls?.clientCert,
    clientKey: mutualTls.tls?.clientKey,
    sasl: sasl.address,
    saslUser: SASL_USER,
    saslPassword: SASL_PASSWORD,
    unix: unix.address,
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

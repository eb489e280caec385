import { fileURLToPath } from 'node:url';
import {
  freePort,
  type MemcachedProcess,
  type RunningScript,
  SASL_PASSWORD,
  SASL_USER,
  startMemcached,
  startScript,
} from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The example Worker and a checks Worker run in workerd (from npm), against real memcached on
// loopback. workerd reaches 127.0.0.1 because serve.mjs allows "local" addresses in its network.
const serve = fileURLToPath(new URL('../serve.mjs', import.meta.url));
const checksWorker = fileURLToPath(new URL('./checks-worker.mjs', import.meta.url));
const caFile = (server: MemcachedProcess): string => server.tls?.caCertFile ?? '';

let plain: MemcachedProcess;
let tls: MemcachedProcess;
let sasl: MemcachedProcess;
let ring: MemcachedProcess[] = [];
const running: RunningScript[] = [];

beforeAll(async () => {
  [plain, tls, sasl, ...ring] = await Promise.all([
    startMemcached(),
    startMemcached({ kind: 'tls' }),
    startMemcached({ kind: 'sasl' }),
    ...Array.from({ length: 7 }, () => startMemcached()),
  ]);
});
afterAll(async () => {
  await Promise.all(running.map((script) => script.stop()));
  await Promise.all([plain, tls, sasl, ...ring].map((server) => server?.stop()));
});

async function workerd(args: string[]): Promise<{ url: string; script: RunningScript }> {
  const port = await freePort();
  const script = await startScript(serve, /listening on (http:\S+)/, { args: [...args, '--port', String(port)] });
  running.push(script);
  return { url: script.ready[1] as string, script };
}

it('the example Worker stores, reads and deletes through memcached, a client per request', async () => {
  const { url, script } = await workerd(['--servers', plain.address]);
  expect(await (await fetch(`${url}/greeting`, { method: 'PUT', body: 'hello from workerd' })).json()).toEqual({
    stored: true,
  });
  expect(await (await fetch(`${url}/greeting`)).text()).toBe('hello from workerd');
  expect(await (await fetch(`${url}/`)).json()).toEqual({ [plain.address]: expect.stringMatching(/^\d+\./) });
  expect(await (await fetch(`${url}/greeting`, { method: 'DELETE' })).json()).toEqual({ deleted: true });
  expect((await fetch(`${url}/greeting`)).status).toBe(404);
  const ended = await script.stop('SIGTERM');
  // workerd's util.debuglog is on whatever NODE_DEBUG says: nothing may be logged without it.
  expect(ended.stdout).not.toContain('DALLI');
  expect(ended.stderr).not.toContain('DALLI');
});

it('the example Worker speaks text and TLS, as proxies in front of memcached for Workers do', async () => {
  const { url } = await workerd(['--servers', tls.address, '--protocol', 'text', '--tls', '--ca', caFile(tls)]);
  await fetch(`${url}/k`, { method: 'PUT', body: 'over TLS' });
  expect(await (await fetch(`${url}/k`)).text()).toBe('over TLS');
});

it('in workerd: three dialects, TLS, SASL, failover, fetch locks, the six-connection limit failing typed (cloudflare:sockets)', async () => {
  const { url } = await workerd([
    '--servers',
    plain.address,
    '--worker',
    checksWorker,
    '--ca',
    caFile(tls),
    '--bind',
    `TLS_SERVER=${tls.address}`,
    '--bind',
    `RING=${ring.map((server) => server.address).join(',')}`,
    '--bind',
    `SASL_SERVER=${sasl.address}`,
    '--bind',
    `SASL_USER=${SASL_USER}`,
    '--bind',
    `SASL_PASSWORD=${SASL_PASSWORD}`,
    '--bind',
    `DEAD_SERVER=127.0.0.1:${await freePort()}`,
  ]);
  const results = (await (await fetch(url, { signal: AbortSignal.timeout(20_000) })).json()) as {
    name: string;
    ok: boolean;
  }[];
  expect(results.filter((result) => !result.ok)).toEqual([]);
  expect(results).toHaveLength(11);
});
